// Scale out and back on a real broker, while clicks stream in: the page-views app runs in a child process; a second
// one (same application id, a state directory of its own) joins and they split the tasks; the first is stopped
// cleanly (SIGTERM: the app's close, exit 0) and the second takes its tasks over, restoring their counts from the
// changelogs. Every rebalance on the way is eager (kafkajs) and commits what it hands over: the counts must be exact.
import { setTimeout as sleep } from 'node:timers/promises';
import { AppProcess, restoredRecords } from './app-process.ts';
import {
  register, NO_BROKER, testLog, brokers, client, PARTITIONS, fixture, clickProducer, produceClicks, allCommitted, latestViews, expectedViews,
} from './kafka-fixtures.ts';

const ALL_TASKS = ['0', '1'].flatMap((s) => Array.from({ length: PARTITIONS }, (_, p) => `${s}_${p}`)).sort();
/** Clicks sent before B starts, and between the split and A's stop. */
const STEP = 2_000;
/** The most clicks streamed while waiting for the processes (about 12 s of them). */
const MAX_CLICKS = 60_000;

register('page views: two processes split the tasks while clicks stream in; one stops cleanly, the other restores its tasks from the changelogs; the counts are exact', async (t) => {
  if (brokers.length === 0) return t.fail(NO_BROKER);
  const f = await fixture(t, 'page-views-scale');
  const log = testLog(t);
  const config = (name: string) => ({
    applicationId: f.applicationId, bootstrapServers: brokers, client, stateDir: f.stateDir(name), topics: { clicks: f.clicks, stats: f.stats },
    commitIntervalMs: 200, sessionTimeoutMs: 10_000,
  });

  const a = new AppProcess('A', config('a'), log);
  t.teardown(() => a.signal('SIGKILL'));
  t.deepEqual(await a.running(30_000), ALL_TASKS, 'A alone runs every task');

  // Clicks stream in, 100 every 20 ms, until B has taken over from A, then stop.
  const producer = clickProducer(f);
  await producer.connect();
  t.teardown(() => producer.disconnect());
  let sent = 0;
  let handedOver = false;
  const streaming = (async () => {
    while (!handedOver) {
      if (sent >= MAX_CLICKS) throw new Error(`${MAX_CLICKS} clicks sent and B has not taken over from A yet`);
      await produceClicks(producer, f.clicks, sent, sent + 100);
      sent += 100;
      await sleep(20);
    }
  })();
  streaming.catch(() => undefined); // awaited below
  const sentAtLeast = async (n: number) => {
    while (sent < n) await Promise.race([sleep(20), streaming]);
  };

  try {
    await sentAtLeast(STEP);
    const b = new AppProcess('B', config('b'), log);
    t.teardown(() => b.signal('SIGKILL'));
    // Both running, after the rebalance B's join caused, with the tasks split between them.
    const split = () => {
      const [la, lb] = [a.last(), b.last()];
      if (la?.state !== 'RUNNING' || lb?.state !== 'RUNNING') return undefined;
      const [ta, tb] = [Object.keys(la.metrics.tasks).sort(), Object.keys(lb.metrics.tasks).sort()];
      return [...ta, ...tb].sort().join() === ALL_TASKS.join() ? { a: ta, b: tb } : undefined;
    };
    const tasks = await b.waitFor('the tasks split between A and B', split, 30_000);
    log(`${sent} clicks sent; A runs ${tasks.a.join(', ')}; B runs ${tasks.b.join(', ')}`);
    t.true(tasks.a.length > 0 && tasks.b.length > 0, 'each process has tasks');
    t.true(tasks.a.some((id) => id.startsWith('1_')), 'A counts some pages (its counts are what B restores later)');

    await sentAtLeast(sent + STEP);
    log(`${sent} clicks sent; A stops`);
    a.signal('SIGTERM');
    t.deepEqual(await a.exited, { code: 0, signal: null }, 'A closes cleanly on SIGTERM');
    t.is(a.last()?.state, 'NOT_RUNNING');
    const restoredBefore = restoredRecords(b.last()!.metrics);
    t.deepEqual(await b.running(30_000, (ts) => ts.join() === ALL_TASKS.join()), ALL_TASKS, 'B takes over every task');
    handedOver = true;
    await streaming;
    log(`${sent} clicks sent in all`);

    const restored = b.last()!.metrics.restored.filter((r) => tasks.a.includes(r.task));
    const restoredOfA = restored.reduce((n, r) => n + r.records, 0);
    log(`B restored ${restoredOfA} changelog records of A's tasks: ${JSON.stringify(restored.map((r) => [r.task, r.records]))}`);
    t.true(restoredOfA > 0, "B restored the counts of A's tasks from the changelogs");
    t.is(restoredRecords(b.last()!.metrics) - restoredBefore, restoredOfA, 'B restored nothing of the tasks it kept (closed cleanly, checkpointed)');

    await allCommitted(f, sent, 30_000);
    t.deepEqual(await latestViews(f, 20_000), expectedViews(sent), 'every count exact');

    b.signal('SIGTERM');
    t.deepEqual(await b.exited, { code: 0, signal: null }, 'B closes cleanly on SIGTERM');
  } finally {
    handedOver = true;
  }
});
