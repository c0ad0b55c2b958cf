import type { KTable } from './ktable.ts';
import type { Suppressed } from '../window/suppressed.ts';
import type { LogicalGraph } from '../graph/logical-graph.ts';
import { KTableImpl } from './ktable-impl.ts';
import { TopologyError } from '../errors/topology-error.ts';

const SUPPRESS = 'KTABLE-SUPPRESS-';

/**
 * KTable#suppress (Kafka Streams' KTableImpl.suppress + KTableSuppressProcessorSupplier): adds a `tableSuppress`
 * node that buffers the latest change per key and emits it once stream time passes the key's buffer time plus
 * the suppression duration:
 *  - untilWindowCloses: buffer time = the window end of the (windowed) key, duration = the grace of the upstream
 *    windowed aggregation (gap + grace for sessions); tombstones are dropped (final results only);
 *  - untilTimeLimit: buffer time = the timestamp of the first buffered update of the key, duration = the limit.
 * Names follow Kafka: the node is `name` or KTABLE-SUPPRESS-<n>, the buffer `name-store` or
 * KTABLE-SUPPRESS-STATE-STORE-<n>. The buffer currently lives in the processor's memory (no store, no changelog),
 * so buffered updates are lost on restart; the store name is reserved for when it becomes a logged store.
 */
export function tableSuppress<K, V>(table: KTableImpl<K, V>, suppressed: Suppressed): KTable<K, V> {
  const ctx = table.ctx;
  ctx.checkOpen('suppress');
  if (!suppressed || (suppressed.kind !== 'until-window-closes' && suppressed.kind !== 'until-time-limit')) {
    throw new TopologyError('suppress() needs Suppressed.untilWindowCloses(...) or Suppressed.untilTimeLimit(...).');
  }
  // Suppressed#withName is used as is (no index taken); only a generated name takes one.
  const name = ctx.givenNameOr(suppressed.name, SUPPRESS);
  const bufferName = suppressed.name !== undefined ? `${suppressed.name}-store` : ctx.storeNameOr(undefined, SUPPRESS);
  const buffer = suppressed.buffer;
  let timeDefinition: 'window-end' | 'record-time';
  let suppressDurationMs: number;
  if (suppressed.kind === 'until-window-closes') {
    if (buffer.onFull !== 'shutdown') {
      throw new TopologyError(
        `suppress(untilWindowCloses) at '${name}' needs a strict buffer (BufferConfig.unbounded() or onFull 'shutdown'): emitting early would not be a final result.`,
      );
    }
    timeDefinition = 'window-end';
    suppressDurationMs = findWindowGrace(ctx.graph, table.node, name);
  } else {
    timeDefinition = 'record-time';
    suppressDurationMs = suppressed.timeLimitMs;
  }
  ctx.graph.add({
    kind: 'processor', name, parents: [table.node], op: 'tableSuppress', stores: [],
    timeDefinition,
    suppressDurationMs,
    safeToDropTombstones: suppressed.kind === 'until-window-closes',
    maxRecords: buffer.maxRecords ?? Infinity,
    maxBytes: buffer.maxBytes ?? Infinity,
    onFull: buffer.onFull,
    bufferName,
    keySerde: table.keySerde,
    valueSerde: table.valueSerde,
  });
  return new KTableImpl<K, V>(ctx, name, table.keySerde, table.valueSerde, undefined, undefined);
}

/**
 * Kafka Streams' GraphGraceSearchUtil: walks up from `node` to the windowed aggregation(s) feeding it and returns
 * their grace (the smallest, across several parents). Throws when a path reaches a source first.
 */
function findWindowGrace(graph: LogicalGraph, start: string, suppressName: string): number {
  const seen = new Set<string>();
  const search = (name: string): number => {
    const node = graph.node(name);
    if (node.kind === 'processor' && (node.op === 'windowAggregate' || node.op === 'slidingWindowAggregate' || node.op === 'sessionWindowAggregate')) {
      return node.windowCloseGraceMs;
    }
    if (node.kind === 'source' || node.parents.length === 0) {
      throw new TopologyError(
        `suppress(untilWindowCloses) at '${suppressName}': window close time is only defined for windowed computations, but '${name}' upstream of it is not windowed.`,
      );
    }
    let min = Infinity;
    for (const p of node.parents) {
      if (seen.has(p)) continue;
      seen.add(p);
      min = Math.min(min, search(p));
    }
    return min;
  };
  return search(start);
}
