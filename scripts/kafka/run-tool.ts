// Runs a program to completion with its output in a log file, for the steps whose output matters only when they fail.
import { spawn } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';
import { missingTool } from './tools.ts';

export interface ToolRun {
  code: number;
  /** The run's output (stdout and stderr interleaved), as written to the log file. */
  output: () => string;
}

export function runTool(command: string, args: string[], logFile: string, cwd?: string): Promise<ToolRun> {
  return new Promise((resolve, reject) => {
    const log = openSync(logFile, 'w');
    const child = spawn(command, args, { cwd, stdio: ['ignore', log, log] });
    child.on('error', (error) => {
      closeSync(log);
      reject(missingTool(command, error));
    });
    child.on('exit', (code, signal) => {
      closeSync(log);
      resolve({ code: code ?? (signal ? 128 : 1), output: () => readFileSync(logFile, 'utf8') });
    });
  });
}

/** The last lines of a program's output, to quote in an error: without colour codes or Maven's boilerplate advice. */
export function lastLines(text: string, count: number): string {
  return text
    .replace(/\x1b\[[0-9;]*m/g, '')
    .split('\n')
    .filter((line) => !/^\[ERROR\] *$|Re-run Maven|To see the full stack trace|For more information about the errors|^\[ERROR\] \[Help \d\]/.test(line))
    .filter((line) => line.trim() !== '')
    .slice(-count)
    .join('\n');
}
