// The page-views application on the embedded log in a process of its own, for page-views-embedded.test.ts (which
// kills it with SIGKILL): `run <stateDir>` appends clicks to clickstream continuously while the application counts
// them, printing `processed <n> committed <input> <repartitioned>` lines, until it is killed; `finish <stateDir>` appends nothing, runs until every
// input and repartition record is committed, closes cleanly and prints `restored <n>` (records restored at start).
import { KafkaStreams, openEmbeddedLog, embeddedClientFactory, type EmbeddedLog } from '@ts-streams/runtime';
import { pageViewsTopology, type Click } from './topology.ts';

const PAGES = ['/home', '/cart', '/products/laptop', '/products/phone', '/checkout'];
const PARTITIONS = 4;
const APPLICATION_ID = 'page-views';

const [mode, stateDir] = process.argv.slice(2);
if ((mode !== 'run' && mode !== 'finish') || stateDir === undefined) {
  console.error('usage: page-views-embedded-child.ts run|finish <stateDir>');
  process.exit(2);
}

const log = await openEmbeddedLog(stateDir);
log.createTopics([{ name: 'clickstream', partitions: PARTITIONS, configs: {} }, { name: 'page-view-stats', partitions: PARTITIONS, configs: {} }]);
const app = new KafkaStreams(pageViewsTopology(), { applicationId: APPLICATION_ID, stateDir }, { clientFactory: embeddedClientFactory(log), log: (l) => console.error(l) });
await app.start();
const processed = () => Object.entries(app.metrics().tasks).filter(([id]) => id.startsWith('0_')).reduce((n, [, x]) => n + x.processed, 0);

if (mode === 'run') {
  // Clicks keep coming (100 every 10 ms) while the application counts them: the kill lands mid-stream.
  let i = total(log, 'clickstream');
  setInterval(() => {
    const batch = Array.from({ length: 100 }, () => {
      const n = i++;
      const user = `user-${(n * 31) % 50}`;
      const click: Click = { eventType: 'click', userId: user, pageUrl: PAGES[(n * 7) % PAGES.length]! };
      return { topic: 'clickstream', key: Buffer.from(user), value: Buffer.from(JSON.stringify(click)), timestamp: Date.now(), headers: [] };
    });
    log.append(batch);
  }, 10);
  // What the tasks processed, and what of the input and the repartition topic the group committed: a kill between
  // processing and committing loses the difference.
  const committed = (topic: string) => total(log, topic, (tp) => log.committed(APPLICATION_ID, tp) ?? 0);
  setInterval(() => console.log(`processed ${processed()} committed ${committed('clickstream')} ${committed(`${APPLICATION_ID}-clicks-by-page-repartition`)}`), 50);
} else {
  const inputs = ['clickstream', `${APPLICATION_ID}-clicks-by-page-repartition`];
  const done = () =>
    inputs.every((topic) => Array.from({ length: PARTITIONS }, (_, partition) => ({ topic, partition })).every((tp) => (log.committed(APPLICATION_ID, tp) ?? 0) === log.endOffset(tp)));
  while (!done()) await new Promise((resolve) => setTimeout(resolve, 50));
  const restored = app.metrics().restored.reduce((n, r) => n + r.records, 0);
  await app.close();
  await log.close();
  console.log(`restored ${restored}`);
  console.log(`processed ${processed()}`);
}

/** Records in all partitions of a topic (its offsets start at 0 and nothing is deleted here), or up to `offset`. */
function total(log: EmbeddedLog, topic: string, offset = (tp: { topic: string; partition: number }) => log.endOffset(tp)): number {
  let n = 0;
  for (let partition = 0; partition < PARTITIONS; partition++) n += offset({ topic, partition });
  return n;
}
