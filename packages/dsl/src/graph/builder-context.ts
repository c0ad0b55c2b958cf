import { LogicalGraph } from './logical-graph.ts';
import { NameGenerator } from '../naming/name-generator.ts';
import type { Serde } from '../serde/serde.ts';
import { TopologyError } from '../errors/topology-error.ts';

/** What every DSL handle of one StreamsBuilder shares: the graph being recorded and the name counter. */
export class BuilderContext {
  readonly graph = new LogicalGraph();
  readonly names = new NameGenerator();
  built = false;
  constructor(
    readonly defaultKeySerde: Serde<any> | undefined,
    readonly defaultValueSerde: Serde<any> | undefined,
  ) {}

  /**
   * `named` when given (checked for uniqueness when the node is added), else a generated name. Either way it takes an
   * index, as Kafka Streams 4.4's NamedInternal#orElseGenerateWithPrefix does: naming one step does not renumber the
   * generated names after it.
   */
  nameOr(named: string | undefined, prefix: string): string {
    const generated = this.names.next(prefix);
    return named ?? generated;
  }
  /** `named` + `suffix` when a name is given, else a generated name; takes an index either way (NamedInternal#suffixWithOrElseGet). */
  suffixedNameOr(named: string | undefined, suffix: string, prefix: string): string {
    const generated = this.names.next(prefix);
    return named !== undefined ? named + suffix : generated;
  }
  /** `named` when given, else a generated name: an index only when generated (process(), repartition(), suppress()). */
  givenNameOr(named: string | undefined, prefix: string): string {
    return named ?? this.names.next(prefix);
  }
  /** A store name: the user's, or `<prefix>STATE-STORE-<index>` (an index only when generated, as MaterializedInternal). */
  storeNameOr(named: string | undefined, prefix: string): string {
    return named ?? this.names.next(prefix + 'STATE-STORE-');
  }
  checkOpen(step: string): void {
    if (this.built) {
      // Not an error in Kafka Streams, but a topology built twice shares nodes; say so clearly.
      throw new TopologyError(`'${step}' was called after build(): create a new StreamsBuilder for a new topology.`);
    }
  }
}
