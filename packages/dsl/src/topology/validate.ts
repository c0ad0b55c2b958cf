import type { LogicalGraph } from '../graph/logical-graph.ts';
import type { Serde } from '../serde/serde.ts';
import { TopologyError } from '../errors/topology-error.ts';

/**
 * Checks at build() what Kafka Streams would only find at run time: stores that do not exist, steps that
 * write bytes without a serde, nothing reading anything.
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
    if (n.kind === 'sink' || n.kind === 'source') {
      const what = n.kind === 'sink' ? (n.internal ? 'writes the repartition topic' : 'writes to') : 'reads';
      const topic = n.kind === 'sink' ? (typeof n.topic === 'string' ? n.topic : '(chosen per record)') : n.topics.join(', ');
      if (!n.keySerde && !defaultKeySerde) {
        throw new TopologyError(
          `Step '${n.name}' ${what} '${topic}' but no key serde is known (the key type changed upstream). ` +
            `Pass one (e.g. Produced.with(Serdes.String(), ...), Grouped.with(...), Consumed.with(...)) or set defaultKeySerde on the StreamsBuilder.`,
          { step: n.name },
        );
      }
      if (!n.valueSerde && !defaultValueSerde) {
        throw new TopologyError(
          `Step '${n.name}' ${what} '${topic}' but no value serde is known (the value type changed upstream). ` +
            `Pass one (e.g. Produced.with(..., Serdes.JSON()), Grouped.with(...), Consumed.with(...)) or set defaultValueSerde on the StreamsBuilder.`,
          { step: n.name },
        );
      }
    }
  }
  for (const [name, spec] of graph.stores) {
    if (!spec.keySerde && !defaultKeySerde) {
      throw new TopologyError(`Store '${name}' has no key serde. Pass Materialized.with(keySerde, valueSerde) or Grouped.with(...), or set defaultKeySerde.`, { step: name });
    }
    if (!spec.valueSerde && !defaultValueSerde) {
      throw new TopologyError(`Store '${name}' has no value serde. Pass Materialized.with(keySerde, valueSerde), or set defaultValueSerde.`, { step: name });
    }
  }
}
