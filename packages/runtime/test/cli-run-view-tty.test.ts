// `streams run examples/page-views` on a terminal, on the embedded log (no broker): the topology's exported view — the
// current window's top pages — is a small table redrawn in place above the status line, log lines go above both,
// the records are not also printed as JSON lines, and Ctrl-C stops it cleanly with exit code 0. With stdout
// redirected (`> out.jsonl`) and stderr still the terminal, the records go to stdout as JSON lines (what a pipe
// expects) while the view and the status line stay on the terminal. The terminal is a pseudo-terminal from
// util-linux's script(1).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { STREAMS_BIN } from './cli-process.ts';

const PAGE_VIEWS = fileURLToPath(new URL('../../../examples/page-views', import.meta.url));

/** The header line of the page-views table: its window and the views counted in it so far. */
const TABLE = /Top pages, window (\d\d:\d\d:\d\d)–\d\d:\d\d:\d\d UTC \((\d+) views on \d+ pages\)\r?\n #  page +views\r?\n 1  \/\S+ +\d+/g;

test('on a terminal: examples/page-views shows its top pages as a table redrawn in place above the status line; Ctrl-C exits 0', async (t) => {
  t.timeout(4 * 60_000);
  const stateDir = mkdtempSync(join(tmpdir(), 'streams-cli-view-tty-'));
  t.teardown(() => rmSync(stateDir, { recursive: true, force: true }));

  // `exec`: script(1) runs the command through $SHELL -c; a shell that stays as the parent also gets the terminal's
  // SIGINT and, not being interactive, dies of it — script then reports 130 for the shell, whatever the app does.
  const command = 'exec ' + [process.execPath, STREAMS_BIN, 'run', PAGE_VIEWS, '--state-dir', stateDir].map((a) => `'${a}'`).join(' ');
  const terminal = spawn('script', ['-qfec', command, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, SHELL: '/bin/sh', TERM: 'xterm' } });
  let screen = '';
  terminal.stdout!.on('data', (d: Buffer) => (screen += d.toString()));
  const closed = new Promise<number | null>((resolve) => terminal.on('close', resolve));
  t.teardown(() => void terminal.kill('SIGKILL'));

  // The table's total in the current window goes up while the generator's clicks arrive. It is redrawn in place: the
  // cursor goes up to the table's first line, which is erased with all below it, then the table and the status line
  // (the 2 header lines, 5 pages, the status line: up 7 once a window has 5 pages).
  const started = Date.now();
  const totals = () => [...screen.matchAll(TABLE)].map((m) => ({ window: m[1], views: Number(m[2]) }));
  const changed = () => totals().some((a, i) => totals().slice(i + 1).some((b) => b.window === a.window && b.views > a.views));
  const inPlace = /\x1b\[7A\r\x1b\[JTop pages, window [^\n]+\n #  page +views\r?\n( +\d  \/\S+ +\d+\r?\n){5}RUNNING · \d+ tasks · in \d+\/s/;
  for (const deadline = Date.now() + 90_000; !(changed() && inPlace.test(screen)); ) {
    if (Date.now() > deadline || terminal.exitCode !== null) throw new Error(`no table of changing counts redrawn in place above a status line; the screen:\n${JSON.stringify(screen)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  t.log(`the table's counts changed, redrawn in place, after ${Date.now() - started} ms`);
  t.regex(screen, /No page views yet: waiting for page-view-stats\./, 'the table before its first record says what it waits for');
  t.false(screen.includes('"topic":"page-view-stats"'), 'the records are shown by the view, not also printed as JSON lines');
  t.regex(screen, /\x1b\[36mINFO \x1b\[0m Running .*topology\.ts as application page-views on the embedded log/, 'log lines for people');

  terminal.stdin!.write('\x03'); // Ctrl-C: the terminal sends SIGINT to the application
  t.is(await closed, 0, `the exit code; the screen:\n${JSON.stringify(screen)}`);
  t.regex(screen, /SIGINT: stopping/);
  t.regex(screen, /Stopped: application page-views committed and closed cleanly\./);
  // Every log line starts on a line of its own: after a newline, or after the live block was erased.
  for (const m of screen.matchAll(/\x1b\[90m\d\d:\d\d:\d\d\x1b\[0m /g)) {
    const before = screen.slice(Math.max(0, m.index - 4), m.index);
    t.true(m.index === 0 || before.endsWith('\n') || before.endsWith('\x1b[2K') || before.endsWith('\x1b[J'), `a log line after ${JSON.stringify(before)}`);
  }
});

test('stdout redirected, stderr a terminal: the records go to stdout as JSON lines, the table and the status line stay on the terminal; Ctrl-C exits 0', async (t) => {
  t.timeout(4 * 60_000);
  const stateDir = mkdtempSync(join(tmpdir(), 'streams-cli-view-redirected-'));
  t.teardown(() => rmSync(stateDir, { recursive: true, force: true }));
  const outFile = join(stateDir, 'out.jsonl');

  // `exec` as above; the shell sets up the redirection before it becomes the application.
  const command = 'exec ' + [process.execPath, STREAMS_BIN, 'run', PAGE_VIEWS, '--state-dir', stateDir].map((a) => `'${a}'`).join(' ') + ` > '${outFile}'`;
  const terminal = spawn('script', ['-qfec', command, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, SHELL: '/bin/sh', TERM: 'xterm' } });
  let screen = '';
  terminal.stdout!.on('data', (d: Buffer) => (screen += d.toString()));
  const closed = new Promise<number | null>((resolve) => terminal.on('close', resolve));
  t.teardown(() => void terminal.kill('SIGKILL'));

  const written = () => {
    try {
      return readFileSync(outFile, 'utf8');
    } catch {
      return '';
    }
  };
  const records = () => written().split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { topic: string; key: string; value: { pageUrl: string; views: number } });
  const inPlace = /\x1b\[7A\r\x1b\[JTop pages, window [^\n]+\n #  page +views\r?\n( +\d  \/\S+ +\d+\r?\n){5}RUNNING · \d+ tasks · in \d+\/s/;
  for (const deadline = Date.now() + 90_000; !(records().length >= 20 && inPlace.test(screen)); ) {
    if (Date.now() > deadline || terminal.exitCode !== null) throw new Error(`no JSON lines in the file beside a table redrawn on the terminal; the file:\n${written()}\nthe screen:\n${JSON.stringify(screen)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const onStdout = records();
  t.true(onStdout.every((r) => r.topic === 'page-view-stats' && r.key === r.value.pageUrl && r.value.views > 0), 'the page-view-stats records, decoded');
  t.false(written().includes('\x1b'), 'no terminal codes in the redirected output');
  t.false(screen.includes('"topic":"page-view-stats"'), 'the records are not on the terminal');
  // (That a record written to stdout does not redraw the block on the terminal: terminal.test.ts.)

  terminal.stdin!.write('\x03'); // Ctrl-C
  t.is(await closed, 0, `the exit code; the screen:\n${JSON.stringify(screen)}`);
  t.regex(screen, /Stopped: application page-views committed and closed cleanly\./);
});
