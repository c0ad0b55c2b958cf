import type { ProcessorFactory } from '../compile/compile-env.ts';
import type { RepartitionFilterNode, ProcessorContext } from '@ts-streams/dsl';

/**
 * The filter in front of a repartition topic: records with a null key cannot be partitioned by key and
 * are dropped (and counted), as Kafka Streams 4.4 does (conformance case agg-explicit-repartition).
 */
export const repartitionFilter: ProcessorFactory<RepartitionFilterNode> = (node, env) => {
  let ctx: ProcessorContext<any, any>;
  return {
    init(c) { ctx = c; },
    process(r) {
      if (r.key === null || r.key === undefined) {
        env.metrics.drop('null-key', node.name);
        return;
      }
      ctx.forward(r);
    },
  };
};
