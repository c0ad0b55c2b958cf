import { pino, type Logger } from 'pino';
import type { Terminal } from './terminal.ts';

export type { Logger };

/** --log-level's values: pino's levels. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const LEVEL_COLOURS: Readonly<Record<string, string>> = { trace: '90', debug: '90', info: '36', warn: '33', error: '31', fatal: '31' };

/**
 * The CLI's structured logger: pino, writing through the terminal to stderr. Off a TTY, pino's JSON lines as they are
 * (for log collectors: one object per line, `level` by name, ISO `time`); on a TTY, each formatted for people —
 * `12:00:01 INFO  message key=value` — above the status line.
 */
export function createLogger(terminal: Terminal, level: LogLevel): Logger {
  const write = terminal.interactive ? (line: string) => terminal.err(pretty(line)) : (line: string) => terminal.err(line);
  return pino(
    {
      level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    { write },
  );
}

/** One of pino's JSON lines as a line for a terminal. */
function pretty(line: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const { level, time, msg, err, ...fields } = entry;
  const clock = typeof time === 'string' ? time.slice(11, 19) : '';
  const name = String(level ?? '');
  const tag = `\x1b[${LEVEL_COLOURS[name] ?? '0'}m${name.toUpperCase().padEnd(5)}\x1b[0m`;
  const extra = Object.entries(fields).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  const error = err !== undefined && typeof err === 'object' && err !== null ? `\n${String((err as { stack?: unknown }).stack ?? (err as { message?: unknown }).message)}` : '';
  return `\x1b[90m${clock}\x1b[0m ${tag} ${String(msg ?? '')}${extra.length > 0 ? ` \x1b[90m${extra.join(' ')}\x1b[0m` : ''}${error}`;
}
