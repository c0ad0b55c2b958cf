import type { BuilderContext } from '../graph/builder-context.ts';
import type { Serde } from '../serde/serde.ts';
import type { StreamPartitioner } from '../graph/graph-node.ts';

/** The three nodes of a repartition step and the internal topic between them. */
export interface RepartitionStep {
  readonly filter: string;
  readonly sink: string;
  readonly source: string;
  /** Without the `<applicationId>-` prefix the runtime adds. */
  readonly topic: string;
}

/**
 * Names a repartition step as Kafka Streams' KStreamImpl#createRepartitionedSource does: the topic is
 * `<prefix>-repartition`; the sink, filter and source take three indexes every time (even when the step is shared
 * and not added again), and are named after the topic unless the prefix is itself a generated name.
 */
export function repartitionNames(ctx: BuilderContext, prefix: string): RepartitionStep {
  const topic = prefix.endsWith('-repartition') ? prefix : `${prefix}-repartition`;
  const genSink = ctx.names.next('KSTREAM-SINK-');
  const genFilter = ctx.names.next('KSTREAM-FILTER-');
  const genSource = ctx.names.next('KSTREAM-SOURCE-');
  const generated = /^KSTREAM.*-[0-9]{10}$/.test(prefix);
  return generated
    ? { filter: genFilter, sink: genSink, source: genSource, topic }
    : { filter: `${topic}-filter`, sink: `${topic}-sink`, source: `${topic}-source`, topic };
}

/** Adds a named repartition step below `parent`: filter → sink to the internal topic → source from it. */
export function addRepartition(
  ctx: BuilderContext,
  parent: string,
  step: RepartitionStep,
  keySerde: Serde<any> | undefined,
  valueSerde: Serde<any> | undefined,
  partitioner?: StreamPartitioner,
  numberOfPartitions?: number,
): RepartitionStep {
  ctx.graph.add({ kind: 'processor', name: step.filter, parents: [parent], op: 'repartitionFilter', stores: [] });
  ctx.graph.add({ kind: 'sink', name: step.sink, parents: [step.filter], topic: step.topic, keySerde, valueSerde, partitioner, internal: true });
  ctx.graph.add({
    kind: 'source', name: step.source, parents: [], topics: [step.topic], keySerde, valueSerde,
    timestampExtractor: undefined, offsetReset: undefined, internal: true,
    ...(numberOfPartitions !== undefined ? { partitions: numberOfPartitions } : {}),
  });
  return step;
}

/** Names and adds a repartition step below `parent` (see repartitionNames); returns it. */
export function createRepartition(
  ctx: BuilderContext,
  parent: string,
  prefix: string,
  keySerde: Serde<any> | undefined,
  valueSerde: Serde<any> | undefined,
  partitioner?: StreamPartitioner,
  numberOfPartitions?: number,
): RepartitionStep {
  return addRepartition(ctx, parent, repartitionNames(ctx, prefix), keySerde, valueSerde, partitioner, numberOfPartitions);
}
