import type { LogicalGraph, ProcessorContext, TableValueJoiner } from '@ts-streams/dsl';
import { tableStore } from '@ts-streams/dsl';
import type { KeyValueStore } from '../internal-types.ts';
import type { ValueAndTimestamp } from './value-and-timestamp.ts';
import { StreamsError } from '../errors/streams-error.ts';

/** Looks a table's current value up by key (Kafka Streams' KTableValueGetter). */
export type ValueGetter = (key: unknown) => ValueAndTimestamp<unknown> | null;

/**
 * Builds the value getter of table step `node`, for a processor whose context has access to the stores
 * (the DSL adds them: dsl/src/ktable/table-table-join.ts#valueGetterStores). Materialized steps read their
 * store; non-materialized filter/mapValues apply their function to the parent's value; a non-materialized
 * join result joins both sides' current values.
 */
export function createValueGetter(graph: LogicalGraph, node: string, ctx: ProcessorContext<any, any>): ValueGetter {
  const n = graph.node(node);
  const store = tableStore(n);
  if (store !== undefined) {
    const s = ctx.getStateStore<KeyValueStore<unknown, ValueAndTimestamp<unknown>>>(store);
    return (key) => s.get(key) ?? null;
  }
  if (n.kind === 'processor') {
    switch (n.op) {
      case 'tableFilter': {
        const parent = createValueGetter(graph, n.parents[0]!, ctx);
        const { predicate, not } = n;
        return (key) => {
          const vt = parent(key);
          return vt !== null && vt.value !== null && vt.value !== undefined && predicate(key, vt.value) !== not ? vt : null;
        };
      }
      case 'tableMapValues': {
        const parent = createValueGetter(graph, n.parents[0]!, ctx);
        const mapper = n.mapper;
        return (key) => {
          const vt = parent(key);
          if (vt === null || vt.value === null || vt.value === undefined) return null;
          const value = mapper(vt.value, key);
          return value === null || value === undefined ? null : { value, timestamp: vt.timestamp };
        };
      }
      case 'tableJoinMerge': {
        const left = createValueGetter(graph, n.left, ctx);
        const right = createValueGetter(graph, n.right, ctx);
        return joinGetter(n.joinKind, n.joiner, left, right);
      }
    }
  }
  throw new StreamsError(`Table step '${node}' has no value getter (it is not materialized).`);
}

function joinGetter(kind: 'inner' | 'left' | 'outer', joiner: TableValueJoiner, left: ValueGetter, right: ValueGetter): ValueGetter {
  const make = (value: unknown, timestamp: number) => (value === null || value === undefined ? null : { value, timestamp });
  switch (kind) {
    case 'inner':
      return (key) => {
        const l = left(key);
        if (l === null || l.value === null) return null;
        const r = right(key);
        if (r === null || r.value === null) return null;
        return make(joiner(l.value, r.value), Math.max(l.timestamp, r.timestamp));
      };
    case 'left':
      return (key) => {
        const l = left(key);
        if (l === null || l.value === null) return null;
        const r = right(key);
        return make(joiner(l.value, r?.value ?? null), r === null ? l.timestamp : Math.max(l.timestamp, r.timestamp));
      };
    default: // outer
      return (key) => {
        const l = left(key);
        const r = right(key);
        const lv = l?.value ?? null;
        const rv = r?.value ?? null;
        if (lv === null && rv === null) return null;
        return make(joiner(lv, rv), Math.max(l?.timestamp ?? -1, r?.timestamp ?? -1));
      };
  }
}
