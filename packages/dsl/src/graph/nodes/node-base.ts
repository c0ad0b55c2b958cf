/** What every graph node has: its place in the graph. */
export interface NodeBase {
  /** Unique processor name (Kafka Streams' node name, e.g. KSTREAM-FILTER-0000000001). */
  readonly name: string;
  /** Names of the nodes this one reads from, in order. */
  readonly parents: readonly string[];
}

/**
 * What every processor node has. `op` names the operator and tags the node's own fields (its runtime implementation
 * is `runtime/src/processors/<op>.ts`); `stores` are the stores it reads or writes, as describe() lists them.
 */
export interface ProcessorNodeBase extends NodeBase {
  readonly kind: 'processor';
  readonly stores: readonly string[];
}
