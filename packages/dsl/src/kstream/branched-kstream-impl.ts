import type { BranchedKStream } from './branched-kstream.ts';
import type { KStream } from './kstream.ts';
import type { Branched } from '../options/branched.ts';
import type { KeyValuePredicate } from '../graph/nodes/node-functions.ts';
import { KStreamImpl, requireFn } from './kstream-impl.ts';

/**
 * Records split() branches as Kafka Streams' BranchedKStreamImpl: one branch processor (predicates in order, first
 * match wins) and, added as each branch() / defaultBranch() is called, one pass-through child per branch named
 * `<split name><Branched name or index>` (the default branch's index is 0). Each child takes an index too, and its
 * Branched function or consumer runs at once, so names generated inside it follow the branch's.
 */
export class BranchedKStreamImpl<K, V> implements BranchedKStream<K, V> {
  private readonly predicates: ((key: K, value: V) => boolean)[] = [];
  private readonly childNames: string[] = [];
  private readonly outputs = new Map<string, KStream<K, V>>();
  private hasDefault = false;

  constructor(
    private readonly parent: KStreamImpl<K, V>,
    private readonly splitName: string,
  ) {
    parent.ctx.graph.add({ kind: 'processor', name: splitName, parents: [parent.node], op: 'branch', stores: [], predicates: [], childNames: [], hasDefault: false });
  }

  branch(predicate: (key: K, value: V) => boolean, branched?: Branched<K, V>): BranchedKStream<K, V> {
    requireFn(predicate, 'branch', 'predicate');
    this.predicates.push(predicate);
    this.addBranch(this.predicates.length, branched);
    return this;
  }

  defaultBranch(branched?: Branched<K, V>): Map<string, KStream<K, V>> {
    this.hasDefault = true;
    this.addBranch(0, branched);
    return this.outputs;
  }

  noDefaultBranch(): Map<string, KStream<K, V>> {
    return this.outputs;
  }

  private addBranch(index: number, branched: Branched<K, V> | undefined): void {
    const ctx = this.parent.ctx;
    ctx.checkOpen('branch');
    const name = this.splitName + (branched?.name ?? String(index));
    this.childNames.push(name);
    ctx.names.next(name); // Kafka Streams takes an index for every branch, named or not
    ctx.graph.replace({
      kind: 'processor', name: this.splitName, parents: [this.parent.node], op: 'branch', stores: [],
      predicates: [...this.predicates] as KeyValuePredicate[], childNames: [...this.childNames], hasDefault: this.hasDefault,
    });
    ctx.graph.add({ kind: 'processor', name, parents: [this.splitName], op: 'passThrough', stores: [] });
    const stream = new KStreamImpl<K, V>(ctx, name, this.parent.keySerde, this.parent.valueSerde, this.parent.repartitionRequired);
    if (branched?.chain) {
      const result = branched.chain(stream);
      if (result) this.outputs.set(name, result as KStream<K, V>);
    } else {
      this.outputs.set(name, stream);
    }
  }
}
