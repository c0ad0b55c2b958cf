import type { KStream } from './kstream.ts';
import type { Branched } from '../options/branched.ts';

/** The result of KStream#split(): add predicates in order; a record goes to the first branch that matches. */
export interface BranchedKStream<K, V> {
  branch(predicate: (key: K, value: V) => boolean, branched?: Branched<K, V>): BranchedKStream<K, V>;
  /** Records no predicate matched; ends the split and returns the branches by name. */
  defaultBranch(branched?: Branched<K, V>): Map<string, KStream<K, V>>;
  /** Ends the split; records no predicate matched are dropped. */
  noDefaultBranch(): Map<string, KStream<K, V>>;
}
