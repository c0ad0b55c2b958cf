// `streams tail <topic>`: a topic's records as JSON lines, decoded with named serdes or a topology's.
import { CliError } from './cli-error.ts';
import { choiceFlag, integerFlag, parseFlags } from './parse-flags.ts';
import { targetOf } from './client-for.ts';
import { missingTopic } from './ensure-topic.ts';
import { TopicFollower } from './topic-follower.ts';
import { loadTopology } from './load-topology.ts';
import { display } from './load-module.ts';
import { SERDE_NAMES, serdeNamed } from './serde-names.ts';
import { sinkTopics, topicSerdes, type TopicSerdes } from './topic-serdes.ts';
import { recordLine } from './record-line.ts';
import { userSourceTopics } from '../topics/topic-plan.ts';

const FLAGS = {
  'from-beginning': { type: 'boolean' },
  max: { type: 'string' },
  'timeout-ms': { type: 'string' },
  topology: { type: 'string' },
  'key-serde': { type: 'string' },
  'value-serde': { type: 'string' },
  brokers: { type: 'string' },
  'state-dir': { type: 'string' },
  client: { type: 'string' },
} as const;

export async function tail(args: readonly string[]): Promise<number> {
  const { flags, positionals } = parseFlags('tail', args, FLAGS, { names: ['topic'], required: 1 });
  const topic = positionals[0]!;
  const max = integerFlag('tail', 'max', flags.max, 1);
  const timeoutMs = integerFlag('tail', 'timeout-ms', flags['timeout-ms'], 1);
  const keySerde = choiceFlag('tail', 'key-serde', flags['key-serde'], SERDE_NAMES);
  const valueSerde = choiceFlag('tail', 'value-serde', flags['value-serde'], SERDE_NAMES);
  let declared: TopicSerdes | undefined;
  if (flags.topology !== undefined) {
    const { topology, file } = await loadTopology(flags.topology);
    declared = topicSerdes(topology, topic);
    if (declared === undefined) {
      const uses = [...userSourceTopics(topology), ...sinkTopics(topology)];
      throw new CliError(`${display(file)} neither reads nor writes '${topic}' (its topics: ${uses.join(', ')}): tail one of those, or give --key-serde / --value-serde instead of --topology.`);
    }
  }
  const serdes: TopicSerdes = {
    key: keySerde !== undefined ? serdeNamed(keySerde) : (declared?.key ?? serdeNamed('string')),
    value: valueSerde !== undefined ? serdeNamed(valueSerde) : (declared?.value ?? serdeNamed('string')),
  };

  const target = targetOf('tail', flags);
  let stopped = false;
  const stop = () => void (stopped = true);
  process.on('SIGINT', stop).on('SIGTERM', stop);
  try {
    // On the embedded log, through a run's socket, the run may stop while this tail follows: it reads on (TopicFollower).
    const notice = (line: string) => process.stderr.write(`streams tail: ${line}\n`);
    const reader = await TopicFollower.open(target, topic, flags['from-beginning'] ? 'earliest' : 'latest', { notice, stopped: () => stopped });
    if (reader === undefined) throw missingTopic(target, topic);
    try {
      let printed = 0;
      let lastRecordAt = Date.now();
      while (!stopped) {
        const wait = timeoutMs === undefined ? 500 : Math.max(1, Math.min(500, lastRecordAt + timeoutMs - Date.now()));
        for (const batch of await reader.poll({ maxRecords: max === undefined ? 1_000 : Math.min(1_000, max - printed), timeoutMs: wait })) {
          for (const record of batch.records) {
            if (max !== undefined && printed >= max) break;
            process.stdout.write(`${recordLine(batch.topic, batch.partition, record, serdes)}\n`);
            printed++;
            lastRecordAt = Date.now();
          }
        }
        if (max !== undefined && printed >= max) break;
        if (timeoutMs !== undefined && Date.now() - lastRecordAt >= timeoutMs) break;
      }
    } finally {
      await reader.close();
    }
    return 0;
  } finally {
    process.off('SIGINT', stop).off('SIGTERM', stop);
  }
}
