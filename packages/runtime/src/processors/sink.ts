import type { SinkNode, ProcessorContext, Processor } from '@ts-streams/dsl';
import type { CompileEnv } from '../compile/compile-env.ts';
import { defaultPartition } from '../io/murmur2.ts';
import { StreamsError } from '../errors/streams-error.ts';

/** Writes records to a topic: serializes with the sink's serdes, picks the partition, hands bytes to the RecordSink. */
export function sink(node: SinkNode, env: CompileEnv): Processor<any, any> {
  const keySerde = env.keySerde(node.keySerde, node.name);
  const valueSerde = env.valueSerde(node.valueSerde, node.name);
  const fixedTopic = typeof node.topic === 'string' ? env.resolveTopic(node.topic, node.internal) : undefined;
  const extractor = typeof node.topic === 'function' ? node.topic : undefined;
  const partitioner = node.partitioner;
  const out = env.sink;
  let ctx: ProcessorContext<never, never>;
  return {
    init(c) { ctx = c; },
    process(r) {
      let topic = fixedTopic;
      if (topic === undefined) {
        const rc = ctx.recordMetadata();
        topic = extractor!(r.key, r.value, { topic: rc?.topic, timestamp: r.timestamp, headers: r.headers });
        if (typeof topic !== 'string' || topic.length === 0) throw new StreamsError(`The topic chooser of sink '${node.name}' returned ${JSON.stringify(topic)}; it must return a topic name.`);
      }
      if (r.timestamp < 0) throw new StreamsError(`Sink '${node.name}' got a record with negative timestamp ${r.timestamp}; records written to Kafka need a timestamp >= 0.`);
      const key = keySerde.serialize(topic, r.key, r.headers);
      const value = valueSerde.serialize(topic, r.value, r.headers);
      let partition: number | undefined;
      if (partitioner || key !== null) {
        const n = out.partitionsFor?.(topic);
        if (n !== undefined) {
          partition = partitioner?.(topic, r.key, r.value, n);
          if (partition === undefined && key !== null) partition = n === 1 ? 0 : defaultPartition(key, n);
        }
      }
      out.send({ topic, partition, key, value, timestamp: r.timestamp, headers: r.headers });
    },
  };
}
