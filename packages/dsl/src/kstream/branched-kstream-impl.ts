import type { BranchedKStream } from './branched-kstream.ts';
import type { KStream } from './kstream.ts';
import type { Branched } from '../options/branched.ts';
import type { KeyValuePredicate } from '../graph/nodes/node-functions.ts';
import { KStreamImpl, requireFn } from './kstream-impl.ts';

/**
 * Records split() branches. On defaultBranch()/noDefaultBranch() it adds one branch processor
 * (predicates in order, first match wins) and one pass-through child per branch.
 */
export class BranchedKStreamImpl<K, V> implements BranchedKStream<K, V> {
  private readonly predicates: ((key: K, value: V) => boolean)[] = [];
  private readonly branches: { name: string; branched: Branched<K, V> | undefined }[] = [];
  private readonly branchNode: string;

  constructor(
    private readonly parent: KStreamImpl<K, V>,
    private readonly splitName: string,
  ) {
    this.branchNode = splitName;
    // Added now to keep Kafka Streams' name order; finish() records the branches.
    parent.ctx.graph.add({ kind: 'processor', name: splitName, parents: [parent.node], op: 'branch', stores: [], predicates: [], childNames: [], hasDefault: false });
  }

  private childName(index: number, branched: Branched<K, V> | undefined): string {
    if (branched?.name !== undefined) return this.splitName + branched.name;
    if (!/^KSTREAM-BRANCH-[0-9]{10}$/.test(this.splitName)) return this.splitName + index;
    return this.parent.ctx.names.next('KSTREAM-BRANCHCHILD-');
  }

  branch(predicate: (key: K, value: V) => boolean, branched?: Branched<K, V>): BranchedKStream<K, V> {
    requireFn(predicate, 'branch', 'predicate');
    this.predicates.push(predicate);
    this.branches.push({ name: this.childName(this.predicates.length, branched), branched });
    return this;
  }

  defaultBranch(branched?: Branched<K, V>): Map<string, KStream<K, V>> {
    this.branches.push({ name: this.childName(0, branched), branched });
    return this.finish(true);
  }

  noDefaultBranch(): Map<string, KStream<K, V>> {
    return this.finish(false);
  }

  private finish(hasDefault: boolean): Map<string, KStream<K, V>> {
    const graph = this.parent.ctx.graph;
    graph.replace({
      kind: 'processor', name: this.branchNode, parents: [this.parent.node], op: 'branch', stores: [],
      predicates: [...this.predicates] as KeyValuePredicate[], childNames: this.branches.map((b) => b.name), hasDefault,
    });
    const out = new Map<string, KStream<K, V>>();
    for (const b of this.branches) {
      graph.add({ kind: 'processor', name: b.name, parents: [this.branchNode], op: 'passThrough', stores: [] });
      const stream = new KStreamImpl<K, V>(this.parent.ctx, b.name, this.parent.keySerde, this.parent.valueSerde, this.parent.repartitionRequired);
      if (b.branched?.chain) {
        const result = b.branched.chain(stream);
        if (result) out.set(b.name, result as KStream<K, V>);
      } else {
        out.set(b.name, stream);
      }
    }
    return out;
  }
}
