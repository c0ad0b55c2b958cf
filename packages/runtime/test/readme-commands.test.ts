// Every command of the README's tables, run (the tables are read from README.md: a change there breaks these tests
// until they run what it shows). The `streams` CLI table on the embedded log (on Kafka:
// test-integration/readme-commands.test.ts); the "Commands" table and the three commands at the README's top as a
// user types them, through a shell.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { REPO, cliTableStory, readmeCommandsTable, readmeTopCommands } from './readme-commands.ts';

test("the README's streams CLI table on the embedded log: every command, with every flag its row names", async (t) => {
  t.timeout(8 * 60_000);
  const dir = mkdtempSync(join(tmpdir(), 'streams-readme-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  await cliTableStory(t, { kind: 'embedded', input: 'lines', output: 'word-counts', events: 'events', app: 'readme', dir, flags: ['--state-dir', join(dir, 'state')] });
});

/** A shell command as typed at the repository's root, in a process group of its own (Ctrl-C reaches all of it). */
function shell(command: string) {
  const child = spawn('sh', ['-c', command], { cwd: REPO, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  return { child, exited, stdout: () => stdout, stderr: () => stderr };
}

async function until(what: string, condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test("the README's Commands table and its top three commands: each run as typed (but npm ci and npm test, which installed this checkout and run this test)", async (t) => {
  t.timeout(4 * 60_000);
  const table = readmeCommandsTable();
  const commands = table.map((r) => r.command);
  // The top block's commands are the table's: what the test runs of one covers the other.
  t.deepEqual(readmeTopCommands().filter((c) => !commands.includes(c)), [], 'a command at the top that the Commands table lacks');
  // Not run here: npm ci would reinstall node_modules under the running tests, npm test would run this test again.
  const notRun = ['npm ci', 'npm test'];
  const run = new Set<string>();

  // The page-views example on the embedded log, as the README's top says: windowed counts within seconds, and Ctrl-C
  // (SIGINT to the whole process group, as a terminal sends it) stops it cleanly. Its state directory is the test's.
  const pageViews = 'npx streams run examples/page-views';
  t.true(commands.includes(pageViews), `the README's Commands table runs ${pageViews}`);
  const dir = mkdtempSync(join(tmpdir(), 'streams-readme-page-views-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const started = Date.now();
  const app = shell(`${pageViews} --state-dir ${dir}`);
  const views = () => app.stdout().split('\n').slice(0, -1).map((l) => JSON.parse(l) as { key: string; value: { pageUrl: string; views: number; windowStart: number } });
  await until(`${pageViews} printing counts that change`, () => {
    if (app.child.exitCode !== null) throw new Error(`${pageViews} ended (${app.child.exitCode}): ${app.stderr()}`);
    return views().some((a, i) => views().slice(i + 1).some((b) => b.key === a.key && b.value.windowStart === a.value.windowStart && b.value.views > a.value.views));
  }, 90_000);
  t.log(`${pageViews}: counts changing after ${Date.now() - started} ms`);
  t.regex(app.stderr(), /single-process log on local disk/);
  process.kill(-app.child.pid!, 'SIGINT');
  const ended = await app.exited;
  t.regex(app.stderr(), /"msg":"Stopped: application page-views committed and closed cleanly\."/);
  // npx ends as its child did, or — receiving the terminal's SIGINT itself — by that signal, as at a terminal.
  t.true(ended.code === 0 || ended.signal === 'SIGINT' || ended.code === 130, JSON.stringify(ended));
  run.add(pageViews);

  // The example through the TopologyTestDriver: its topology, then the latest count per page and 5-minute window.
  const example = 'npm run example';
  t.true(commands.includes(example), `the README's Commands table runs ${example}`);
  const driver = shell(example);
  const { code } = await driver.exited;
  t.is(code, 0, driver.stderr());
  t.regex(driver.stdout(), /^Topologies:\n {3}Sub-topology: 0\n/m);
  const latest = driver.stdout().split('page-view-stats (latest per page and window):\n')[1]!.trim().split('\n').map((l) => l.trim().split(/\s+/));
  t.deepEqual(latest.map(([window, page, views]) => `${window} ${page} ${views}`).sort(), [
    '00:00:00–00:05:00 /cart 5', '00:00:00–00:05:00 /home 5', '00:00:00–00:05:00 /products/laptop 5',
    '00:05:00–00:10:00 /cart 5', '00:05:00–00:10:00 /home 5', '00:05:00–00:10:00 /products/laptop 5',
  ]);
  run.add(example);

  t.deepEqual(commands.filter((c) => !run.has(c) && !notRun.includes(c)), [], "commands of the README's Commands table this test does not run");
});
