// `streams run` on a terminal: logs formatted for people, a status line rewritten in place, and Ctrl-C — the
// terminal's interrupt — stopping it cleanly with exit code 0. The terminal is a pseudo-terminal from util-linux's
// script(1); the application runs on the real broker.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { kafkaTest } from './kafka-test.ts';
import { STREAMS_BIN } from '../test/cli-process.ts';

const CLICKS = fileURLToPath(new URL('../test/fixtures/cli/clicks', import.meta.url));

kafkaTest('on a terminal: pretty log lines, a status line updated in place, Ctrl-C stops cleanly with exit code 0', async (t, broker) => {
  const id = randomUUID().slice(0, 8);
  const stateDir = mkdtempSync(join(tmpdir(), 'streams-cli-tty-'));
  const client = broker.seamClient('cli-tty-test');
  const admin = client.admin();
  const app = `cli-tty-${id}`;
  const [input, output] = [`cli-tty-clicks-${id}`, `cli-tty-counts-${id}`];
  t.teardown(async () => {
    const mine = (await admin.listTopics()).filter((x) => x === input || x === output || x.startsWith(`${app}-`));
    await admin.deleteTopics(mine).catch(() => undefined);
    await client.close();
    rmSync(stateDir, { recursive: true, force: true });
  });
  await admin.createTopics([{ name: input, partitions: 1, configs: {} }, { name: output, partitions: 1, configs: {} }]);

  // `exec`: script(1) runs the command through $SHELL -c; a shell that stays as the parent also gets the terminal's
  // SIGINT and, not being interactive, dies of it — script then reports 130 for the shell, whatever the app does
  // (dash does; CI's shell is /bin/sh, so the test runs it there too).
  const command = 'exec ' + [process.execPath, STREAMS_BIN, 'run', CLICKS, '--brokers', broker.brokers.join(','), '--client', broker.client, '--app-id', app, '--state-dir', stateDir].map((a) => `'${a}'`).join(' ');
  const terminal = spawn('script', ['-qfec', command, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, SHELL: '/bin/sh', TERM: 'xterm', CLI_TEST_INPUT: input, CLI_TEST_OUTPUT: output } });
  let screen = '';
  terminal.stdout!.on('data', (d: Buffer) => (screen += d.toString()));
  const closed = new Promise<number | null>((resolve) => terminal.on('close', resolve));
  t.teardown(() => void terminal.kill('SIGKILL'));

  const status = /\r\x1b\[2KRUNNING · 1 task · in \d+\/s · out \d+\/s · lag [\d?]+ · \d+ commits?/;
  // Two status lines at least: it is rewritten in place (a carriage return, erase the line, the new status).
  for (const deadline = Date.now() + 90_000; (screen.match(new RegExp(status.source, 'g')) ?? []).length < 2; ) {
    if (Date.now() > deadline || terminal.exitCode !== null) throw new Error(`no status line updated in place; the screen:\n${JSON.stringify(screen)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  t.regex(screen, /\d\d:\d\d:\d\d\x1b\[0m \x1b\[36mINFO \x1b\[0m Running .*topology\.ts as application cli-tty-\w+ on Kafka/, 'a log line for people');
  t.false(screen.includes('{"level"'), 'no JSON log lines on a terminal');

  terminal.stdin!.write('\x03'); // Ctrl-C: the terminal sends SIGINT to the application
  t.is(await closed, 0, `the exit code; the screen:\n${JSON.stringify(screen)}`);
  t.regex(screen, /SIGINT: stopping/);
  t.regex(screen, /Stopped: application cli-tty-\w+ committed and closed cleanly\./);
  // The status line was cleared before each log line: no log line starts on the status line.
  t.false(/commits?\x1b\[90m\d\d:/.test(screen));
});
