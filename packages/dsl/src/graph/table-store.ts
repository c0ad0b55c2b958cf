import type { GraphNode } from './graph-node.ts';

/**
 * The store holding a table step's current values (Kafka Streams' materialized KTable store), or undefined when the
 * step keeps none: a non-materialized filter, mapValues or join, or a step that is not a table. Value getters read
 * this store, and a step with one can send old values without being materialized for it.
 */
export function tableStore(node: GraphNode): string | undefined {
  if (node.kind !== 'processor') return undefined;
  switch (node.op) {
    case 'tableSource':
    case 'streamToTable':
    case 'aggregate':
    case 'reduce':
    case 'windowAggregate':
    case 'slidingWindowAggregate':
    case 'sessionWindowAggregate':
    case 'tableAggregate':
    case 'tableReduce':
    case 'tableFilter':
    case 'tableMapValues':
    case 'tableJoinMerge':
      return node.store;
    case 'filter':
    case 'map':
    case 'mapValues':
    case 'flatMap':
    case 'flatMapValues':
    case 'selectKey':
    case 'peek':
    case 'passThrough':
    case 'repartitionFilter':
    case 'branch':
    case 'process':
    case 'processValues':
    case 'tableToStream':
    case 'tableGroupBy':
    case 'tableSuppress':
    case 'tableJoin':
    case 'streamJoinWindow':
    case 'streamStreamJoin':
    case 'streamTableJoin':
    case 'streamGlobalJoin':
      return undefined;
    default: {
      // Compiles only while every operator is listed above.
      const unlisted: never = node;
      void unlisted;
      return undefined;
    }
  }
}
