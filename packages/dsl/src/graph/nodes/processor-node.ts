import type {
  FilterNode, MapNode, MapValuesNode, FlatMapNode, FlatMapValuesNode, SelectKeyNode, PeekNode, PassThroughNode,
  RepartitionFilterNode, BranchNode, ProcessNode, ProcessValuesNode,
} from './stream-nodes.ts';
import type { AggregateNode, ReduceNode, WindowAggregateNode, SlidingWindowAggregateNode, SessionWindowAggregateNode } from './aggregation-nodes.ts';
import type {
  TableSourceNode, StreamToTableNode, TableToStreamNode, TableFilterNode, TableMapValuesNode, TableGroupByNode,
  TableAggregateNode, TableReduceNode, TableSuppressNode,
} from './table-nodes.ts';
import type { TableJoinNode, TableJoinMergeNode, StreamJoinWindowNode, StreamStreamJoinNode, StreamTableJoinNode, StreamGlobalJoinNode } from './join-nodes.ts';

/**
 * Every processor node: one plain-data node kind per operator, tagged by `op`, holding that operator's functions,
 * settings and store names as typed fields. The runtime's registry is a mapped type over this union, so an operator
 * without an implementation, or an implementation reading a field its node lacks, does not compile.
 */
export type ProcessorNode =
  | FilterNode
  | MapNode
  | MapValuesNode
  | FlatMapNode
  | FlatMapValuesNode
  | SelectKeyNode
  | PeekNode
  | PassThroughNode
  | RepartitionFilterNode
  | BranchNode
  | ProcessNode
  | ProcessValuesNode
  | AggregateNode
  | ReduceNode
  | WindowAggregateNode
  | SlidingWindowAggregateNode
  | SessionWindowAggregateNode
  | TableSourceNode
  | StreamToTableNode
  | TableToStreamNode
  | TableFilterNode
  | TableMapValuesNode
  | TableGroupByNode
  | TableAggregateNode
  | TableReduceNode
  | TableSuppressNode
  | TableJoinNode
  | TableJoinMergeNode
  | StreamJoinWindowNode
  | StreamStreamJoinNode
  | StreamTableJoinNode
  | StreamGlobalJoinNode;

/** The operators: `op` of some processor node. */
export type ProcessorOp = ProcessorNode['op'];

/** The processor node of operator `Op`. */
export type ProcessorNodeOf<Op extends ProcessorOp> = Extract<ProcessorNode, { readonly op: Op }>;

/**
 * Node kind(s) `N` as a DSL step states them, before they have a place in the graph (kind, name, parents) and
 * without the fields `Filled` that the step's helper fills in. Distributes over a union of node kinds.
 */
export type StepOf<N extends ProcessorNode, Filled extends string = never> = N extends ProcessorNode ? Omit<N, 'kind' | 'name' | 'parents' | Filled> : never;

/** Any processor node as a DSL step states it. */
export type ProcessorStep = StepOf<ProcessorNode>;
