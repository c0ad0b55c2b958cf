import type { ProcessorFactory } from '../compile/compile-env.ts';
import type { RepartitionFilterNode, ProcessorContext } from '@ts-streams/dsl';

/**
 * The filter in front of a repartition topic. Records with a null key cannot be partitioned by key and are
 * dropped (and counted) — unless a join that accepts null keys lies downstream (a left stream-table or
 * stream-globalTable join, a left or outer stream-stream join): then every record passes, and the producer places
 * null-key records (Kafka Streams 3.7+, KIP-962; conformance cases *-null-key-repartition).
 */
export const repartitionFilter: ProcessorFactory<RepartitionFilterNode> = (node, env) => {
  let ctx: ProcessorContext<any, any>;
  const keepNullKeys = env.repartitionKeepsNullKeys(node.name);
  return {
    init(c) { ctx = c; },
    process(r) {
      if (!keepNullKeys && (r.key === null || r.key === undefined)) {
        env.metrics.drop('null-key', node.name);
        return;
      }
      ctx.forward(r);
    },
  };
};
