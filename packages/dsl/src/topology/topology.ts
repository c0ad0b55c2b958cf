import type { LogicalGraph } from '../graph/logical-graph.ts';
import type { Serde } from '../serde/serde.ts';
import { describeTopology } from './describe.ts';
import { topologyToMermaid } from './mermaid.ts';
import { topologyToDot } from './dot.ts';
import { splitSubtopologies, type Subtopology, type GlobalStoreGroup } from './subtopologies.ts';

/** A built, validated logical topology. The runtime compiles it; describe() prints it. */
export class Topology {
  readonly subtopologies: readonly Subtopology[];
  readonly globalStores: readonly GlobalStoreGroup[];
  constructor(
    readonly graph: LogicalGraph,
    readonly defaultKeySerde: Serde<any> | undefined,
    readonly defaultValueSerde: Serde<any> | undefined,
  ) {
    const split = splitSubtopologies(graph);
    this.subtopologies = split.subtopologies;
    this.globalStores = split.globals;
  }

  /** Kafka Streams' TopologyDescription text. Internal topics are shown with the application id prefix if given. */
  describe(applicationId?: string): string {
    return describeTopology(this.graph, (t, internal) => (internal && applicationId ? `${applicationId}-${t}` : t));
  }

  /** The topology as a Mermaid flowchart. */
  toMermaid(): string {
    return topologyToMermaid(this.graph);
  }

  /** The topology as a Graphviz DOT digraph. */
  toDot(): string {
    return topologyToDot(this.graph);
  }
}
