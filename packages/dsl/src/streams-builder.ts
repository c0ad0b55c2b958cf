import type { Serde } from './serde/serde.ts';
import type { KStream } from './kstream/kstream.ts';
import type { KTable } from './ktable/ktable.ts';
import type { GlobalKTable } from './ktable/global-ktable.ts';
import type { Consumed } from './options/consumed.ts';
import type { Materialized } from './options/materialized.ts';
import type { StoreSpec } from './graph/store-spec.ts';
import { BuilderContext } from './graph/builder-context.ts';
import { KStreamImpl } from './kstream/kstream-impl.ts';
import { KTableImpl } from './ktable/ktable-impl.ts';
import { GlobalKTableImpl } from './ktable/global-ktable-impl.ts';
import { storeSpecFrom } from './graph/store-specs.ts';
import { TopologyError } from './errors/topology-error.ts';
import { Topology } from './topology/topology.ts';
import { validateTopology } from './topology/validate.ts';
import { materializeTables } from './graph/materialize-tables.ts';

export interface StreamsBuilderOptions {
  /** Used where a step needs a serde the DSL cannot infer (Kafka Streams' default.key.serde). */
  readonly defaultKeySerde?: Serde<any>;
  readonly defaultValueSerde?: Serde<any>;
}

/** Records a topology through the DSL; build() validates it and returns a Topology. */
export class StreamsBuilder {
  private readonly ctx: BuilderContext;
  private readonly sourceTopics = new Set<string>();

  constructor(options: StreamsBuilderOptions = {}) {
    this.ctx = new BuilderContext(options.defaultKeySerde, options.defaultValueSerde);
  }

  /** A stream of one topic or several. */
  stream<K, V>(topics: string | readonly string[], consumed: Consumed<K, V>): KStream<K, V> {
    this.ctx.checkOpen('stream');
    const list = typeof topics === 'string' ? [topics] : [...topics];
    if (list.length === 0 || list.some((t) => typeof t !== 'string' || t.length === 0)) {
      throw new TopologyError(`stream() needs one or more non-empty topic names; got ${JSON.stringify(topics)}.`);
    }
    this.claimTopics(list);
    const name = this.ctx.nameOr(consumed?.name, 'KSTREAM-SOURCE-');
    this.ctx.graph.add({
      kind: 'source', name, parents: [], topics: list,
      keySerde: consumed?.keySerde, valueSerde: consumed?.valueSerde,
      timestampExtractor: consumed?.timestampExtractor, offsetReset: consumed?.offsetReset, internal: false,
    });
    return new KStreamImpl<K, V>(this.ctx, name, consumed?.keySerde, consumed?.valueSerde, false);
  }

  /**
   * A table read from a compacted changelog topic. Its store is kept only when the table is materialized: a store name
   * given (Materialized.as), or a later step that reads it or needs old values (decided at build(), see materializeTables).
   */
  table<K, V>(topic: string, consumed: Consumed<K, V>, materialized?: Materialized<K, V>): KTable<K, V> {
    this.ctx.checkOpen('table');
    this.claimTopics([topic]);
    const storeName = this.ctx.storeNameOr(materialized?.storeName, `${topic}-`);
    // Kafka Streams: Consumed.as("t") names the table step t and its source t-source.
    const sourceName = this.ctx.suffixedNameOr(consumed?.name, '-source', 'KSTREAM-SOURCE-');
    const tableName = this.ctx.nameOr(consumed?.name, 'KTABLE-SOURCE-');
    const spec = storeSpecFrom(storeName, 'timestamped-key-value', materialized, consumed?.keySerde, consumed?.valueSerde, materialized?.storeName === undefined);
    this.ctx.graph.addStore(spec);
    this.ctx.graph.add({
      kind: 'source', name: sourceName, parents: [], topics: [topic],
      keySerde: consumed?.keySerde, valueSerde: consumed?.valueSerde,
      timestampExtractor: consumed?.timestampExtractor, offsetReset: consumed?.offsetReset, internal: false,
      table: { global: false },
    });
    this.ctx.graph.add({
      kind: 'processor', name: tableName, parents: [sourceName], op: 'tableSource', stores: [storeName],
      store: storeName, queryable: materialized?.storeName !== undefined,
    });
    return new KTableImpl<K, V>(this.ctx, tableName, spec.keySerde, spec.valueSerde, materialized?.storeName, storeName);
  }

  /** A table replicated in full to every instance. */
  globalTable<K, V>(topic: string, consumed: Consumed<K, V>, materialized?: Materialized<K, V>): GlobalKTable<K, V> {
    this.ctx.checkOpen('globalTable');
    this.claimTopics([topic]);
    const storeName = this.ctx.storeNameOr(materialized?.storeName, `${topic}-`);
    const sourceName = this.ctx.suffixedNameOr(consumed?.name, '-source', 'KSTREAM-SOURCE-');
    const tableName = this.ctx.nameOr(consumed?.name, 'KTABLE-SOURCE-');
    // Global stores are never cached and restore from the source topic itself (no changelog).
    const spec = { ...storeSpecFrom(storeName, 'timestamped-key-value', materialized, consumed?.keySerde, consumed?.valueSerde, materialized?.storeName === undefined), caching: false, logging: false };
    this.ctx.graph.addStore(spec);
    this.ctx.graph.globalStores.add(storeName);
    this.ctx.graph.add({
      kind: 'source', name: sourceName, parents: [], topics: [topic],
      keySerde: consumed?.keySerde, valueSerde: consumed?.valueSerde,
      timestampExtractor: consumed?.timestampExtractor, offsetReset: 'earliest', internal: false,
      table: { global: true, store: storeName },
    });
    this.ctx.graph.add({ kind: 'processor', name: tableName, parents: [sourceName], op: 'tableSource', stores: [storeName], store: storeName, queryable: true });
    return new GlobalKTableImpl<K, V>(storeName, spec.keySerde, spec.valueSerde);
  }

  /** Registers a store for process()/processValues() (Kafka Streams' addStateStore). */
  addStateStore(spec: StoreSpec): this {
    this.ctx.checkOpen('addStateStore');
    this.ctx.graph.addStore(spec);
    return this;
  }

  /** Validates the recorded topology and returns it. Errors name the step and the fix. */
  build(): Topology {
    materializeTables(this.ctx.graph);
    validateTopology(this.ctx.graph, this.ctx.defaultKeySerde, this.ctx.defaultValueSerde);
    this.ctx.built = true;
    return new Topology(this.ctx.graph, this.ctx.defaultKeySerde, this.ctx.defaultValueSerde);
  }

  private claimTopics(topics: readonly string[]): void {
    for (const t of topics) {
      if (this.sourceTopics.has(t)) {
        throw new TopologyError(`Topic '${t}' is already read by another stream/table of this topology. Read it once and share the KStream (Kafka Streams forbids subscribing a topic twice).`);
      }
      this.sourceTopics.add(t);
    }
  }
}
