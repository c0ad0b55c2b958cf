import type { LogicalGraph } from '../graph/logical-graph.ts';
import type { GraphNode } from '../graph/graph-node.ts';
import type { Serde } from '../serde/serde.ts';
import { TopologyError } from '../errors/topology-error.ts';
import { checkUnconditionalCycles } from './unconditional-cycles.ts';

/**
 * Checks at build() what Kafka Streams would only find at run time: stores that do not exist, steps that
 * write bytes without a serde, nothing reading anything, records going round a cycle of topics forever.
 */
export function validateTopology(graph: LogicalGraph, defaultKeySerde: Serde<any> | undefined, defaultValueSerde: Serde<any> | undefined): void {
  if (graph.nodes.length === 0) {
    throw new TopologyError('The topology is empty: add at least one builder.stream(...) or builder.table(...) before build().');
  }
  for (const n of graph.nodes) {
    if (n.kind === 'processor') {
      for (const s of n.stores) {
        if (!graph.stores.has(s)) {
          throw new TopologyError(
            `Step '${n.name}' uses store '${s}', which does not exist. Add it with builder.addStateStore(Stores.keyValueStore('${s}', ...)) before connecting it.`,
            { step: n.name },
          );
        }
      }
    }
    if (n.kind === 'source' && !n.internal) {
      // Plain JavaScript can call builder.stream('t') with no Consumed at all: say so, not "the type changed".
      const missing = !n.keySerde && !defaultKeySerde ? 'key' : !n.valueSerde && !defaultValueSerde ? 'value' : undefined;
      if (missing !== undefined) {
        const call = n.table === undefined ? 'stream' : n.table.global ? 'globalTable' : 'table';
        const topics = n.topics.map((t) => `'${t}'`).join(', ');
        throw new TopologyError(
          `Step '${n.name}' reads ${topics} but has no ${missing} serde${!n.keySerde && !n.valueSerde ? ' (no Consumed was given)' : ''}. ` +
            `Pass Consumed.with(keySerde, valueSerde): builder.${call}(${n.topics.length === 1 ? topics : `[${topics}]`}, Consumed.with(keySerde, valueSerde)), ` +
            `or set default${missing === 'key' ? 'Key' : 'Value'}Serde on the StreamsBuilder.`,
          { step: n.name },
        );
      }
    } else if (n.kind === 'sink' || n.kind === 'source') {
      const what = n.kind === 'sink' ? (n.internal ? 'writes the repartition topic' : 'writes to') : 'reads';
      const topic = n.kind === 'sink' ? (typeof n.topic === 'string' ? n.topic : '(chosen per record)') : n.topics.join(', ');
      // A repartition topic ahead of a join takes the join's serdes (StreamJoined / Joined), not Grouped or Produced.
      const join = n.kind === 'sink' && n.internal && typeof n.topic === 'string' ? joinSerdes(repartitionReaders(graph, n.topic)) : undefined;
      if (!n.keySerde && !defaultKeySerde) {
        throw new TopologyError(
          `Step '${n.name}' ${what} '${topic}' but no key serde is known (the key type changed upstream). ` +
            (join !== undefined
              ? `Pass the join's serdes, ${join}, or set defaultKeySerde on the StreamsBuilder.`
              : `Pass one (e.g. Produced.with(Serdes.String(), ...), Grouped.with(...), Consumed.with(...)) or set defaultKeySerde on the StreamsBuilder.`),
          { step: n.name },
        );
      }
      if (!n.valueSerde && !defaultValueSerde) {
        throw new TopologyError(
          `Step '${n.name}' ${what} '${topic}' but no value serde is known (the value type changed upstream). ` +
            (join !== undefined
              ? `Pass the join's serdes, ${join}, or set defaultValueSerde on the StreamsBuilder.`
              : `Pass one (e.g. Produced.with(..., Serdes.JSON()), Grouped.with(...), Consumed.with(...)) or set defaultValueSerde on the StreamsBuilder.`),
          { step: n.name },
        );
      }
    }
  }
  for (const [name, spec] of graph.stores) {
    if ((!spec.keySerde && !defaultKeySerde) || (!spec.valueSerde && !defaultValueSerde)) {
      // A stream-stream join's window stores take StreamJoined's serdes; every other DSL store Materialized's.
      const join = joinSerdes(graph.nodes.filter((n) => n.kind === 'processor' && n.op === 'streamJoinWindow' && n.stores.includes(name)));
      if (!spec.keySerde && !defaultKeySerde) {
        throw new TopologyError(
          join !== undefined
            ? `Store '${name}' has no key serde. Pass ${join}, or set defaultKeySerde.`
            : `Store '${name}' has no key serde. Pass Materialized.with(keySerde, valueSerde) or Grouped.with(...), or set defaultKeySerde.`,
          { step: name },
        );
      }
      throw new TopologyError(
        join !== undefined
          ? `Store '${name}' has no value serde. Pass ${join}, or set defaultValueSerde.`
          : `Store '${name}' has no value serde. Pass Materialized.with(keySerde, valueSerde), or set defaultValueSerde.`,
        { step: name },
      );
    }
  }
  checkUnconditionalCycles(graph);
}

/** The steps that read the repartition topic `topic` (the children of its internal source). */
function repartitionReaders(graph: LogicalGraph, topic: string): readonly GraphNode[] {
  const source = graph.nodes.find((n) => n.kind === 'source' && n.internal && n.topics.includes(topic));
  return source === undefined ? [] : graph.children(source.name);
}

/** When one of `steps` is a join, how its serdes are passed (its options are StreamJoined or Joined, not Materialized). */
function joinSerdes(steps: readonly GraphNode[]): string | undefined {
  for (const n of steps) {
    if (n.kind !== 'processor') continue;
    if (n.op === 'streamJoinWindow') return 'StreamJoined.with(keySerde, valueSerde, otherValueSerde) to the stream-stream join (join, leftJoin or outerJoin with JoinWindows)';
    if (n.op === 'streamTableJoin') return 'Joined.with(keySerde, valueSerde, tableValueSerde) to the stream-table join (join or leftJoin with a KTable)';
  }
  return undefined;
}
