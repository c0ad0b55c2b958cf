// Crash and recover under exactly_once_v2: the page-views app in a child process is killed with SIGKILL while clicks
// stream in, with a transaction open (it commits every 100 ms: the kill finds clicks processed, their records sent and
// not committed); a new process on the same application id and state directory takes over. Read as a read_committed
// consumer reads it, the output has every count exact — no click missing, none counted twice — and every page's count
// rises from one committed record to the next. (page-views-crash-kafka.test.ts is the same crash under at-least-once,
// where the double counts are only bounded.) Both passes run it, the app on their client adapter (kafkajs, kafkats).
import { setTimeout as sleep } from 'node:timers/promises';
import { AppProcess, restoredRecords } from './app-process.ts';
import {
  register, NO_BROKER, testLog, brokers, client, PARTITIONS, fixture, clickProducer, produceClicks, progress, allCommittedExactlyOnce, committedViews, expectedViews, sum,
} from './kafka-fixtures.ts';

const MIN_BEFORE_KILL = 2_000;
const AFTER_KILL = 2_000;
const MAX_CLICKS = 60_000;

register('page views under exactly_once_v2: a process killed with SIGKILL mid-stream and restarted counts every click exactly once', async (t) => {
  if (brokers.length === 0) return t.fail(NO_BROKER);
  const f = await fixture(t, 'page-views-eos-crash');
  const log = testLog(t);
  const config = {
    applicationId: f.applicationId, bootstrapServers: brokers, client, stateDir: f.stateDir('app'), topics: { clicks: f.clicks, stats: f.stats },
    processingGuarantee: 'exactly_once_v2' as const,
    // A short session, so that the group gives up on the killed member soon.
    sessionTimeoutMs: 6_000,
  };
  const first = new AppProcess('1st', config, log);
  t.teardown(() => first.signal('SIGKILL'));
  await first.running(30_000);

  const producer = clickProducer(f);
  await producer.connect();
  t.teardown(() => producer.disconnect());
  let sent = 0;
  let killed = false;
  const streaming = (async () => {
    while (!killed) {
      if (sent >= MAX_CLICKS) throw new Error(`${MAX_CLICKS} clicks sent and the process has not committed some of them yet`);
      await produceClicks(producer, f.clicks, sent, sent + 100);
      sent += 100;
      await sleep(20);
    }
    await produceClicks(producer, f.clicks, sent, sent + AFTER_KILL);
    sent += AFTER_KILL;
  })();
  streaming.catch(() => undefined); // awaited below

  // Killed once both sub-topologies committed some records, with clicks still uncommitted.
  try {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const c = await progress(f, f.clicks);
      const r = await progress(f, f.repartition);
      if (sum(c.committed) > 0 && sum(r.committed) > 0 && sum(c.committed) < sum(c.end) && sent >= MIN_BEFORE_KILL) break;
      if (Date.now() > deadline) throw new Error(`the 1st process committed no clicks within 30 s: clicks ${c.committed} of ${c.end}, repartition ${r.committed} of ${r.end}`);
      await sleep(20);
    }
    first.signal('SIGKILL');
  } finally {
    killed = true;
  }
  const exit = await first.exited;
  t.is(exit.signal, 'SIGKILL');
  const clicksAtKill = await progress(f, f.clicks);
  log(`killed with ${sum(clicksAtKill.committed)} clicks committed of ${sum(clicksAtKill.end)} sent`);
  t.true(sum(clicksAtKill.committed) > 0 && sum(clicksAtKill.committed) < sum(clicksAtKill.end), `killed mid-stream: ${JSON.stringify(clicksAtKill)}`);

  // The restart: same state directory, so the same process id and transactional id — its InitProducerId aborts the
  // transaction the dead process left open. The stores have no checkpoint (exactly-once writes one only on a clean
  // close): they are rebuilt from their changelogs' committed records.
  const second = new AppProcess('2nd', config, log);
  t.teardown(() => second.signal('SIGKILL'));
  await second.running(30_000, (tasks) => tasks.length === 2 * PARTITIONS);
  await streaming;
  const clicks = sent;
  await allCommittedExactlyOnce(f, clicks, 60_000);
  const { views, notRising } = await committedViews(f, 30_000);
  const expected = expectedViews(clicks);

  t.deepEqual([...views.keys()], [...expected.keys()], 'every page and window has its count');
  const wrong = [...expected].filter(([k, v]) => views.get(k) !== v).map(([k, v]) => `${k}: ${views.get(k)} (expected ${v})`);
  t.deepEqual(wrong, [], 'every count is exact: no click missing, none counted twice');
  t.deepEqual(notRising, [], 'every committed count is above the one before it');
  t.true(restoredRecords(second.last()!.metrics) > 0, 'the 2nd process restored the stores from their changelogs');
  log(`counted ${sum([...views.values()])} views of ${clicks} clicks, exactly; the 2nd process restored ${restoredRecords(second.last()!.metrics)} changelog records`);

  second.signal('SIGTERM');
  t.deepEqual(await second.exited, { code: 0, signal: null }, 'the 2nd process closes cleanly');
});
