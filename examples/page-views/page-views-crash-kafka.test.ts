// Crash and recover on a real broker: the page-views app in a child process is killed with SIGKILL while clicks
// stream in, after it committed some of them and before it committed all; a new process on the same application id
// and state directory (its lock and process id files left behind by the dead one) takes over. No click may be
// missing from the final counts. At-least-once may count some twice, but only clicks after the last commit before
// the kill: in each sub-topology, what the dead process read past its committed offsets.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppProcess, restoredRecords } from './app-process.ts';
import {
  register, NO_BROKER, testLog, brokers, client, PARTITIONS, fixture, clickProducer, produceClicks, progress, allCommitted, latestViews, expectedViews, sorted, sum, type Fixture, type Progress,
} from './kafka-fixtures.ts';

/** Clicks sent before the kill at least; after it; the most while waiting for the kill (about 12 s of them). */
const MIN_BEFORE_KILL = 2_000;
const AFTER_KILL = 2_000;
const MAX_CLICKS = 60_000;

register('page views: a process killed with SIGKILL mid-stream and restarted misses no click; what it counts twice is bounded by what it had not committed', async (t) => {
  if (brokers.length === 0) return t.fail(NO_BROKER);
  const f = await fixture(t, 'page-views-crash');
  const log = testLog(t);
  const config = {
    applicationId: f.applicationId, bootstrapServers: brokers, client, stateDir: f.stateDir('app'), topics: { clicks: f.clicks, stats: f.stats },
    // Commits every second: clicks come faster, so the producer sends records of the clicks between two commits
    // before the next one (it sends every 1000) and the kill finds some processed, sent and not committed. A short
    // session, so that the group gives up on the killed member soon (the broker's min session timeout is 0 in tests).
    commitIntervalMs: 1_000, sessionTimeoutMs: 6_000,
  };
  const first = new AppProcess('1st', config, log);
  t.teardown(() => first.signal('SIGKILL'));
  await first.running(30_000);

  // Clicks stream in, 100 every 20 ms, until the kill, then AFTER_KILL more at once.
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
    const deadline = Date.now() + 20_000;
    for (;;) {
      const c = await progress(f, f.clicks);
      const r = await progress(f, f.repartition);
      if (sum(c.committed) > 0 && sum(r.committed) > 0 && sum(c.committed) < sum(c.end) && sent >= MIN_BEFORE_KILL) break;
      if (Date.now() > deadline) throw new Error(`the 1st process committed no clicks within 20 s: clicks ${c.committed} of ${c.end}, repartition ${r.committed} of ${r.end}`);
      await sleep(20);
    }
    // Half a commit interval on: commits are what made the condition true, and the kill should find clicks
    // processed (and some of their records sent) since the last one.
    await sleep(config.commitIntervalMs / 2);
    first.signal('SIGKILL');
  } finally {
    killed = true;
  }
  const exit = await first.exited;
  t.is(exit.signal, 'SIGKILL');

  // What the dead process had committed, and what it could have read: the end offsets now (it reads nothing more).
  const clicksAtKill = await progress(f, f.clicks);
  const repartitionAtKill = await settled(f, f.repartition);
  const uncommittedClicks = sum(clicksAtKill.end) - sum(clicksAtKill.committed);
  const uncommittedRepartition = sum(repartitionAtKill.end) - sum(repartitionAtKill.committed);
  t.true(sum(clicksAtKill.committed) > 0 && sum(clicksAtKill.committed) < sum(clicksAtKill.end), `killed mid-stream: ${JSON.stringify(clicksAtKill)}`);
  log(`killed with ${sum(clicksAtKill.committed)} clicks committed of ${sum(clicksAtKill.end)} sent (${uncommittedClicks} uncommitted), repartitioned ${sum(repartitionAtKill.committed)} committed of ${sum(repartitionAtKill.end)} (${uncommittedRepartition} uncommitted)`);

  // The restart: same application id and state directory, where the dead process left its lock and process id.
  const lock = JSON.parse(readFileSync(join(config.stateDir, f.applicationId, '.lock'), 'utf8')) as { pid: number };
  t.is(lock.pid, first.pid, 'the killed process left its lock behind (stale: its pid is dead)');
  const second = new AppProcess('2nd', config, log);
  t.teardown(() => second.signal('SIGKILL'));
  await second.running(30_000, (tasks) => tasks.length === 2 * PARTITIONS);
  await streaming;
  const clicks = sent;
  await allCommitted(f, clicks, 30_000);
  const views = await latestViews(f, 20_000);
  const expected = expectedViews(clicks);

  t.deepEqual([...views.keys()], [...expected.keys()], 'every page and window has its count');
  const missing = [...expected].filter(([k, v]) => (views.get(k) ?? 0) < v);
  t.deepEqual(missing.map(([k, v]) => `${k}: ${views.get(k)} < ${v}`), [], 'no click is missing from the counts');
  const surplus = sum([...expected].map(([k, v]) => (views.get(k) ?? 0) - v));
  // Twice-counted clicks: those the 1st process repartitioned past its committed click offsets (the 2nd repartitions
  // them again), plus repartitioned records it counted past its committed repartition offsets (the 2nd counts them
  // again on top of the state its changelog had).
  const bound = uncommittedClicks + uncommittedRepartition;
  const repartitionedTwice = sum((await progress(f, f.repartition)).end) - clicks;
  log(`counted ${sum([...views.values()])} views of ${clicks} clicks: ${surplus} counted twice (${repartitionedTwice} clicks repartitioned twice), at most ${bound} could be`);
  t.true(surplus >= 0 && surplus <= bound, `surplus ${surplus} within ${bound}: ${JSON.stringify(sorted(views))}`);
  t.true(repartitionedTwice >= 0 && repartitionedTwice <= uncommittedClicks, `${repartitionedTwice} repartitioned twice of ${uncommittedClicks} uncommitted`);

  second.signal('SIGTERM');
  t.deepEqual(await second.exited, { code: 0, signal: null }, 'the 2nd process closes cleanly');
  log(`the 2nd process restored ${restoredRecords(second.last()!.metrics)} changelog records`);
});

/**
 * Offsets of `topic` once its end stops moving: produce requests a killed process had fully sent may still be
 * written by the broker just after the kill.
 */
async function settled(f: Fixture, topic: string): Promise<Progress> {
  let before = await progress(f, topic);
  for (;;) {
    await sleep(300);
    const now = await progress(f, topic);
    if (sum(now.end) === sum(before.end)) return now;
    before = now;
  }
}
