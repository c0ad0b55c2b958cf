// The page-views example on the embedded log (no broker): the counts equal those computed from the clicks alone;
// and a crash — the application's process killed with SIGKILL mid-stream, then started again — counts every click
// exactly once (exactly-once by construction: a commit is one atomic write of outputs, changelogs and offsets).
import test from 'ava';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KafkaStreams, openEmbeddedLog, embeddedClientFactory, type EmbeddedLog } from '@ts-streams/runtime';
import { pageViewsTopology, type Click, type PageStats } from './topology.ts';

const WINDOW = 5 * 60_000;
const PARTITIONS = 4;
const PAGES = ['/home', '/cart', '/products/laptop', '/products/phone', '/checkout'];

function tempDir(t: { teardown(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'page-views-embedded-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Every record of every partition of a topic. */
function readTopic(log: EmbeddedLog, topic: string): { key: string; value: string; timestamp: number }[] {
  const out: { key: string; value: string; timestamp: number }[] = [];
  for (let partition = 0; partition < PARTITIONS; partition++) {
    let from = log.startOffset({ topic, partition });
    for (;;) {
      const r = log.read({ topic, partition }, from, 1_000);
      for (const x of r.records) out.push({ key: Buffer.from(x.key!).toString(), value: Buffer.from(x.value!).toString(), timestamp: x.timestamp });
      if (r.lag === 0) break;
      from = r.nextOffset;
    }
  }
  return out;
}

/** Views per `page@windowStart`, computed from the clicks alone. */
function expectedCounts(clicks: readonly { value: string; timestamp: number }[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const c of clicks) {
    const k = `${(JSON.parse(c.value) as Click).pageUrl}@${c.timestamp - (c.timestamp % WINDOW)}`;
    m.set(k, (m.get(k) ?? 0) + 1);
  }
  return sorted(m);
}

/** The latest count per `page@windowStart` in page-view-stats. */
function latestCounts(log: EmbeddedLog): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of readTopic(log, 'page-view-stats')) {
    const s = JSON.parse(r.value) as PageStats;
    m.set(`${s.pageUrl}@${s.windowStart}`, s.views);
  }
  return sorted(m);
}

function sorted<V>(m: ReadonlyMap<string, V>): Map<string, V> {
  return new Map([...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

test('page views per page per 5-minute window on the embedded log equal the counts computed from the clicks', async (t) => {
  const stateDir = tempDir(t);
  const log = await openEmbeddedLog(stateDir);
  t.teardown(() => log.close());
  log.createTopics([{ name: 'clickstream', partitions: PARTITIONS, configs: {} }, { name: 'page-view-stats', partitions: PARTITIONS, configs: {} }]);
  // 25 s of clicks across a window boundary: less out of order than the 30 s grace, so none is dropped.
  const start = 20 * WINDOW - 10_000;
  const clicks = Array.from({ length: 2_000 }, (_, i) => {
    const user = `user-${(i * 31) % 50}`;
    const click: Click = { eventType: 'click', userId: user, pageUrl: PAGES[(i * 7) % PAGES.length]! };
    return { topic: 'clickstream', key: Buffer.from(user), value: Buffer.from(JSON.stringify(click)), timestamp: start + Math.floor((i * 25_000) / 2_000), headers: [] };
  });
  for (let i = 0; i < clicks.length; i += 500) log.append(clicks.slice(i, i + 500));
  const expected = expectedCounts(clicks.map((c) => ({ value: c.value.toString(), timestamp: c.timestamp })));

  const app = new KafkaStreams(pageViewsTopology(), { applicationId: 'page-views', stateDir }, { clientFactory: embeddedClientFactory(log), log: (l) => t.log(l) });
  t.teardown(() => app.close());
  await app.start();
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const latest = latestCounts(log);
    if (latest.size === expected.size && [...expected].every(([k, v]) => latest.get(k) === v)) break;
    await log.whenWritten(500);
  }
  const dropped = Object.values(app.metrics().tasks).reduce((n, x) => n + x.droppedRecords, 0);
  await app.close();
  t.deepEqual(latestCounts(log), expected);
  t.is(expected.size, PAGES.length * 2, 'the clicks span two windows of every page');
  t.is(dropped, 0);
  for (const r of readTopic(log, 'page-view-stats')) {
    const s = JSON.parse(r.value) as PageStats;
    t.is(r.key, s.pageUrl);
    t.is(s.windowEnd - s.windowStart, WINDOW);
  }
});

/** Runs the child script; resolves with its exit code and output. `onLine` sees each stdout line as it comes. */
function child(mode: 'run' | 'finish', stateDir: string, onLine: (line: string, proc: ChildProcess) => void = () => undefined): Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }> {
  const script = fileURLToPath(new URL('./page-views-embedded-child.ts', import.meta.url));
  const proc = spawn(process.execPath, ['--conditions=@ts-streams/source', '--import=tsx', script, mode, stateDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let pending = '';
  proc.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    pending += d.toString();
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) onLine(line, proc);
  });
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal, out, err })));
}

test('killed with SIGKILL mid-stream and started again, the application counts every click exactly once', async (t) => {
  const stateDir = tempDir(t);
  // Clicks arrive while the application runs; it is killed once it has processed 3,000 of them, both sub-topologies
  // have committed (so the window store has a changelog to be rebuilt from), and some clicks it processed are not
  // committed yet (their counts are in its stores and staged outputs, not in the log).
  let killedAt: { processed: number; committed: number } | undefined;
  const killed = await child('run', stateDir, (line, proc) => {
    const m = /^processed (\d+) committed (\d+) (\d+)$/.exec(line);
    if (m === null || killedAt !== undefined) return;
    const [processed, committed, repartitioned] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (processed >= 3_000 && repartitioned > 0 && processed > committed) {
      killedAt = { processed, committed };
      proc.kill('SIGKILL');
    }
  });
  t.is(killed.signal, 'SIGKILL', `the first run was killed\n${killed.err}`);
  t.log(`killed with ${killedAt?.processed} clicks processed, ${killedAt?.committed} committed`);

  const finished = await child('finish', stateDir);
  t.is(finished.code, 0, finished.err);
  const restored = Number(/^restored (\d+)$/m.exec(finished.out)?.[1]);
  t.true(restored > 0, `the window store had no checkpoint after the crash: rebuilt from its changelog (${restored} records)\n${finished.err}`);
  t.regex(finished.err, /wiped its directory .* rebuilding from the changelog/);

  const log = await openEmbeddedLog(stateDir);
  t.teardown(() => log.close());
  const clicks = readTopic(log, 'clickstream');
  t.true(clicks.length >= killedAt!.processed, `${clicks.length} clicks in all`);
  t.deepEqual(latestCounts(log), expectedCounts(clicks));
});
