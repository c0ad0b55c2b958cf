import type { BuilderContext } from '../graph/builder-context.ts';
import type { Serde } from '../serde/serde.ts';
import type { StreamPartitioner } from '../graph/graph-node.ts';

/**
 * Adds a repartition step below `parent`: filter → sink to the internal topic `<prefix>-repartition`
 * → source from it. Returns the source's name. Names follow Kafka Streams (generated names when the
 * prefix is itself generated, else `<topic>-filter|sink|source`).
 */
export function createRepartition(
  ctx: BuilderContext,
  parent: string,
  prefix: string,
  keySerde: Serde<any> | undefined,
  valueSerde: Serde<any> | undefined,
  partitioner?: StreamPartitioner,
  numberOfPartitions?: number,
): string {
  const topic = prefix.endsWith('-repartition') ? prefix : `${prefix}-repartition`;
  const genSink = ctx.names.next('KSTREAM-SINK-');
  const genFilter = ctx.names.next('KSTREAM-FILTER-');
  const genSource = ctx.names.next('KSTREAM-SOURCE-');
  const generated = /^KSTREAM.*-[0-9]{10}$/.test(prefix);
  const sinkName = generated ? genSink : `${topic}-sink`;
  const filterName = generated ? genFilter : `${topic}-filter`;
  const sourceName = generated ? genSource : `${topic}-source`;
  ctx.graph.add({ kind: 'processor', name: filterName, parents: [parent], op: 'repartitionFilter', stores: [] });
  ctx.graph.add({ kind: 'sink', name: sinkName, parents: [filterName], topic, keySerde, valueSerde, partitioner, internal: true });
  ctx.graph.add({
    kind: 'source', name: sourceName, parents: [], topics: [topic], keySerde, valueSerde,
    timestampExtractor: undefined, offsetReset: undefined, internal: true,
    ...(numberOfPartitions !== undefined ? { partitions: numberOfPartitions } : {}),
  });
  return sourceName;
}
