import type { ProcessorNodeBase } from './node-base.ts';
import type { KeyValueMapper, TableValueJoiner, StreamValueJoiner } from './node-functions.ts';

/**
 * One side of a table-table join: joins each change of its table with the other table's current value. `joinKind`
 * is from this side's view: the right side of a left join is 'right' (its joiner takes (this value, left value)).
 */
export interface TableJoinNode extends ProcessorNodeBase {
  readonly op: 'tableJoin';
  readonly joiner: TableValueJoiner;
  readonly joinKind: 'inner' | 'left' | 'right' | 'outer';
  /** The other table's node, whose value getter this side reads. */
  readonly other: string;
  /** This side must see its table's old values (deletes of a left or outer join's driving side). */
  readonly requiresOldValues: boolean;
}

/** Merges both sides of a table-table join; stores the result when the join is materialized. */
export interface TableJoinMergeNode extends ProcessorNodeBase {
  readonly op: 'tableJoinMerge';
  readonly joiner: TableValueJoiner;
  readonly joinKind: 'inner' | 'left' | 'outer';
  /** The joined tables' nodes: a non-materialized join's value getter joins theirs. */
  readonly left: string;
  readonly right: string;
  readonly store: string | undefined;
}

/** KSTREAM-WINDOWED-: puts each record of one side of a stream-stream join into that side's window store. */
export interface StreamJoinWindowNode extends ProcessorNodeBase {
  readonly op: 'streamJoinWindow';
  readonly store: string;
}

/** One side of a windowed stream-stream join: looks each record up in the other side's window store. */
export interface StreamStreamJoinNode extends ProcessorNodeBase {
  readonly op: 'streamStreamJoin';
  /** The user's joiner, always (left value, right value, key), whichever side this is. */
  readonly joiner: StreamValueJoiner;
  readonly side: 'left' | 'right';
  /** This side emits records without a match (left side of a left join, both sides of an outer join). */
  readonly outer: boolean;
  readonly otherStore: string;
  /** The store holding non-matches of a left or outer join until their window closes, shared by both sides. */
  readonly outerStore: string | undefined;
  /** The JoinWindows, as given. */
  readonly windowBeforeMs: number;
  readonly windowAfterMs: number;
  readonly graceMs: number;
  /** This side's look-back and look-ahead: the windows' before/after, swapped on the right side. */
  readonly joinBeforeMs: number;
  readonly joinAfterMs: number;
}

/** KStream-KTable join: each stream record looks its key up in the table's store. */
export interface StreamTableJoinNode extends ProcessorNodeBase {
  readonly op: 'streamTableJoin';
  readonly joiner: StreamValueJoiner;
  readonly store: string;
  readonly leftJoin: boolean;
}

/** KStream-GlobalKTable join: the key selector picks the global table key to look up. */
export interface StreamGlobalJoinNode extends ProcessorNodeBase {
  readonly op: 'streamGlobalJoin';
  readonly joiner: StreamValueJoiner;
  readonly keySelector: KeyValueMapper<unknown>;
  readonly store: string;
  readonly leftJoin: boolean;
}
