// `streams topics`: every topic with its partitions and end offsets.
import { parseFlags } from './parse-flags.ts';
import { describeTarget, targetOf, type Target } from './client-for.ts';
import type { KafkaAdmin } from '../client/kafka-admin.ts';
import { ClientError } from '../errors/client-error.ts';
import { openCluster } from './open-cluster.ts';
import { table } from './table.ts';

export async function listTopics(args: readonly string[]): Promise<number> {
  const { flags } = parseFlags('topics', args, { brokers: { type: 'string' }, 'state-dir': { type: 'string' }, client: { type: 'string' } }, { names: [], required: 0 });
  const target = targetOf('topics', flags);
  const cluster = await openCluster(target, { clientId: 'streams-topics' });
  try {
    // Topics come and go meanwhile (another application deleting its internal topics): a listing that meets a topic
    // deleted after it was listed is made again.
    for (let attempt = 1; ; attempt++) {
      try {
        return await printTopics(cluster.admin, target);
      } catch (e) {
        if (!(e instanceof ClientError && e.reason === 'unknown-topic') || attempt === 3) throw e;
      }
    }
  } finally {
    await cluster.close();
  }
}

async function printTopics(admin: KafkaAdmin, target: Target): Promise<number> {
  const names = [...(await admin.listTopics())].filter((t) => !t.startsWith('__')).sort();
  if (names.length === 0) {
    process.stdout.write(`No topics on ${describeTarget(target)}.\n`);
    return 0;
  }
  const described = await admin.describeTopics(names);
  // A topic deleted between the listing and the description is left out.
  const present = names.filter((t) => described.get(t) !== undefined);
  const partitions = present.flatMap((topic) => Array.from({ length: described.get(topic)!.partitions }, (_, partition) => ({ topic, partition })));
  const ends = await admin.listOffsets(partitions, 'latest');
  const rows = present.map((topic) => {
    const offsets = ends.filter((e) => e.topic === topic).map((e) => e.offset);
    const total = offsets.reduce((a, b) => a + b, 0);
    return [topic, String(offsets.length), `${offsets.join(' ')}${offsets.length > 1 ? `  (${total})` : ''}`];
  });
  process.stdout.write(`${table([['TOPIC', 'PARTITIONS', 'END OFFSETS'], ...rows])}\n`);
  return 0;
}
