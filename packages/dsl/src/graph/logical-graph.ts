import type { GraphNode } from './graph-node.ts';
import type { StoreSpec } from './store-spec.ts';
import { TopologyError } from '../errors/topology-error.ts';

/**
 * The logical topology: nodes in the order the DSL added them, and the stores they use. Plain data,
 * built up by DSL calls, frozen by build(). describe() and the runtime compiler read it; neither changes it.
 */
export class LogicalGraph {
  private readonly list: GraphNode[] = [];
  /** Every node, in the order added. Read-only: nodes come in through add() and replace(), which keep the indexes. */
  readonly nodes: readonly GraphNode[] = this.list;
  readonly stores = new Map<string, StoreSpec>();
  /** Store name → the global table source that owns it. */
  readonly globalStores = new Set<string>();
  /** Pairs of node names whose inputs must be co-partitioned (joins), with the step that requires it. */
  readonly copartition: { readonly nodes: readonly string[]; readonly step: string }[] = [];
  /**
   * Join nodes that accept records with a null key (KIP-962: left stream-table and stream-globalTable joins, left
   * and outer stream-stream joins; Kafka Streams labels them NULL_KEY_RELAXED_JOIN). A repartition topic upstream
   * of one keeps null-key records instead of dropping them.
   */
  readonly nullKeyJoins = new Set<string>();
  private readonly byName = new Map<string, GraphNode>();
  /** Node name → the nodes that list it as a parent, in the order added: kept as nodes are added, read per call. */
  private readonly childrenOf = new Map<string, GraphNode[]>();
  /** Repartition topic → the internal sources that read it. */
  private readonly readersOf = new Map<string, GraphNode[]>();
  /**
   * Kafka Streams' build priority of each node: the order its DSL graph node was attached (addGraphNode), which
   * decides the order InternalStreamsBuilder writes nodes into the topology and so how sub-topologies are numbered.
   */
  private readonly priorities = new Map<string, number>();
  private nextPriority = 0;

  add(node: GraphNode): void {
    if (this.byName.has(node.name)) {
      throw new TopologyError(
        `The name '${node.name}' is used by two steps. Give each step its own name (Named.as / Materialized.as / Grouped.as).`,
        { step: node.name },
      );
    }
    for (const p of node.parents) {
      if (!this.byName.has(p)) throw new TopologyError(`Unknown parent '${p}'`, { step: node.name });
    }
    this.list.push(node);
    this.byName.set(node.name, node);
    this.childrenOf.set(node.name, []);
    // Once per parent, though a step may name one twice (a stream merged with itself).
    for (const p of new Set(node.parents)) this.childrenOf.get(p)!.push(node);
    if (node.kind === 'source' && node.internal) {
      for (const t of node.topics) {
        let readers = this.readersOf.get(t);
        if (readers === undefined) this.readersOf.set(t, (readers = []));
        readers.push(node);
      }
    }
    this.priorities.set(node.name, this.nextPriority++);
  }

  /**
   * Swaps a node for a new version of it, same name and parents: for a step added before its settings are all known
   * (split() adds its branch node first, to keep Kafka Streams' name order, and knows its branches at the end).
   */
  replace(node: GraphNode): void {
    const old = this.node(node.name);
    if (old.parents.length !== node.parents.length || old.parents.some((p, i) => p !== node.parents[i])) {
      throw new TopologyError(`Step '${node.name}' cannot change its parents.`, { step: node.name });
    }
    // Only processor steps are completed later; a source or sink would also have to move in readersOf.
    if (old.kind !== 'processor' || node.kind !== 'processor') {
      throw new TopologyError(`Step '${node.name}' is not a processor step: only those are replaced.`, { step: node.name });
    }
    this.list[this.list.indexOf(old)] = node;
    this.byName.set(node.name, node);
    for (const p of new Set(node.parents)) {
      const siblings = this.childrenOf.get(p)!;
      siblings[siblings.indexOf(old)] = node;
    }
  }

  /**
   * Attaches already-added nodes again, as Kafka Streams does with a repartition step that several aggregations of
   * one named grouping share: each attachment gives them a later build priority.
   */
  reattach(names: readonly string[]): void {
    for (const n of names) {
      this.node(n);
      this.priorities.set(n, this.nextPriority++);
    }
  }

  buildPriority(name: string): number {
    const p = this.priorities.get(name);
    if (p === undefined) throw new TopologyError(`Unknown step '${name}'`);
    return p;
  }

  addStore(spec: StoreSpec): void {
    const existing = this.stores.get(spec.name);
    if (existing) {
      throw new TopologyError(
        `The store name '${spec.name}' is used twice. Each Materialized.as(...) / store must have a unique name.`,
        { step: spec.name },
      );
    }
    this.stores.set(spec.name, spec);
  }

  node(name: string): GraphNode {
    const n = this.byName.get(name);
    if (!n) throw new TopologyError(`Unknown step '${name}'`);
    return n;
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** The nodes that list `name` as a parent, in the order added. */
  children(name: string): readonly GraphNode[] {
    const list = this.childrenOf.get(name);
    if (list === undefined) throw new TopologyError(`Unknown step '${name}'`);
    return list;
  }

  /**
   * Where records go next: the children, and for a sink writing a repartition topic the internal sources that read
   * it back (Kafka Streams' graph links them as parent and child, one repartition step). A sink writing a user
   * topic leads nowhere, even when the topology reads that topic again.
   */
  downstream(name: string): readonly GraphNode[] {
    const n = this.node(name);
    if (n.kind === 'sink') return n.internal && typeof n.topic === 'string' ? this.readersOf.get(n.topic) ?? [] : [];
    return this.children(name);
  }
}
