import type { GraphNode } from './graph-node.ts';
import type { StoreSpec } from './store-spec.ts';
import { TopologyError } from '../errors/topology-error.ts';

/**
 * The logical topology: nodes in the order the DSL added them, and the stores they use. Plain data,
 * built up by DSL calls, frozen by build(). describe() and the runtime compiler read it; neither changes it.
 */
export class LogicalGraph {
  readonly nodes: GraphNode[] = [];
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
    this.nodes.push(node);
    this.byName.set(node.name, node);
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
    this.nodes[this.nodes.indexOf(old)] = node;
    this.byName.set(node.name, node);
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

  children(name: string): GraphNode[] {
    return this.nodes.filter((n) => n.parents.includes(name));
  }
}
