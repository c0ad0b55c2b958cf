// A zombie under exactly_once_v2: two page-views processes split the tasks while clicks stream in; A is stopped with
// SIGSTOP (a long GC pause, a frozen VM) past its session timeout, so the group moves its tasks to B, which restores
// them from the changelogs' committed records and reads their partitions from the committed offsets (read stable:
// B waits while A's open transaction may still commit). Then A resumes, still believing it owns its tasks: its
// transaction cannot commit — its offsets are refused for its stale generation (KIP-447), or its producer was fenced
// when the coordinator aborted the transaction for its timeout — so it aborts, closes its tasks dirty and rejoins.
// Read as a read_committed consumer reads it, every count is exact and rises from one committed record to the next.
// Both passes run it, the apps on their client adapter (kafkajs, kafkats).
import { setTimeout as sleep } from 'node:timers/promises';
import { AppProcess } from './app-process.ts';
import {
  register, NO_BROKER, testLog, brokers, client, PARTITIONS, fixture, clickProducer, produceClicks, allCommittedExactlyOnce, committedViews, expectedViews, sum,
} from './kafka-fixtures.ts';

const ALL_TASKS = ['0', '1'].flatMap((s) => Array.from({ length: PARTITIONS }, (_, p) => `${s}_${p}`)).sort();
const STEP = 1_500;
/** The most clicks streamed while waiting for the processes. */
const MAX_CLICKS = 150_000;
const SESSION_TIMEOUT_MS = 6_000;

register('page views under exactly_once_v2: a zombie (SIGSTOP past its session timeout) is fenced when it resumes; it aborts, rejoins, and the committed counts are exact', async (t) => {
  if (brokers.length === 0) return t.fail(NO_BROKER);
  const f = await fixture(t, 'page-views-zombie');
  const log = testLog(t);
  const config = (name: string) => ({
    applicationId: f.applicationId, bootstrapServers: brokers, client, stateDir: f.stateDir(name), topics: { clicks: f.clicks, stats: f.stats },
    processingGuarantee: 'exactly_once_v2' as const, sessionTimeoutMs: SESSION_TIMEOUT_MS,
  });

  const a = new AppProcess('A', config('a'), log);
  t.teardown(() => a.signal('SIGKILL'));
  await a.running(30_000);

  const producer = clickProducer(f);
  await producer.connect();
  t.teardown(() => producer.disconnect());
  let sent = 0;
  let done = false;
  const streaming = (async () => {
    while (!done) {
      if (sent >= MAX_CLICKS) throw new Error(`${MAX_CLICKS} clicks sent and the test is not done yet`);
      await produceClicks(producer, f.clicks, sent, sent + 100);
      sent += 100;
      await sleep(50);
    }
  })();
  streaming.catch(() => undefined); // awaited below
  const sentAtLeast = async (n: number) => {
    while (sent < n) await Promise.race([sleep(20), streaming]);
  };

  try {
    await sentAtLeast(STEP);
    const b = new AppProcess('B', config('b'), log);
    t.teardown(() => b.signal('SIGCONT'));
    t.teardown(() => b.signal('SIGKILL'));
    const split = () => {
      const [la, lb] = [a.last(), b.last()];
      if (la?.state !== 'RUNNING' || lb?.state !== 'RUNNING') return undefined;
      const [ta, tb] = [Object.keys(la.metrics.tasks).sort(), Object.keys(lb.metrics.tasks).sort()];
      return [...ta, ...tb].sort().join() === ALL_TASKS.join() && ta.length > 0 && tb.length > 0 ? { a: ta, b: tb } : undefined;
    };
    const tasks = await b.waitFor('the tasks split between A and B', split, 60_000);
    log(`${sent} clicks sent; A runs ${tasks.a.join(', ')}; B runs ${tasks.b.join(', ')}`);

    // A processes (and commits) for a while, then freezes mid-stream.
    await sentAtLeast(sent + STEP);
    const linesBefore = a.output.length;
    a.signal('SIGSTOP');
    const stoppedAt = Date.now();
    log(`${sent} clicks sent; A stopped (SIGSTOP)`);
    // B takes every task once the group gave up on A (and A's open transaction, if it had sent offsets, ended).
    await b.running(90_000, (ts) => ts.join() === ALL_TASKS.join());
    log(`B runs every task ${((Date.now() - stoppedAt) / 1000).toFixed(1)} s after A stopped; ${sent} clicks sent`);

    // A resumes: its commit fails (fenced), it aborts, closes its tasks dirty and rejoins; the group splits again.
    a.signal('SIGCONT');
    const fenced = await a.waitFor(
      'A noticing it lost its tasks',
      () => a.output.slice(linesBefore).find((l) => /The transaction was aborted|Closed tasks .* dirty/.test(l)),
      60_000,
    );
    log(`A after it resumed: ${fenced}`);
    await b.waitFor('the tasks split between A and B again', split, 90_000);
    log(`${sent} clicks sent; A and B split the tasks again`);
    await sentAtLeast(sent + STEP);
  } finally {
    done = true;
  }
  await streaming;
  const clicks = sent;
  await allCommittedExactlyOnce(f, clicks, 90_000);
  const { views, notRising } = await committedViews(f, 30_000);
  const expected = expectedViews(clicks);
  t.deepEqual([...views.keys()], [...expected.keys()], 'every page and window has its count');
  const wrong = [...expected].filter(([k, v]) => views.get(k) !== v).map(([k, v]) => `${k}: ${views.get(k)} (expected ${v})`);
  t.deepEqual(wrong, [], 'every count is exact: no click missing, none counted twice');
  t.deepEqual(notRising, [], 'every committed count is above the one before it');
  log(`counted ${sum([...views.values()])} views of ${clicks} clicks, exactly`);
});
