import type { Processor } from '@ts-streams/dsl';

/** A processor instance inside a task, wired to its children. */
export class RuntimeNode {
  readonly children: RuntimeNode[] = [];
  readonly childByName = new Map<string, RuntimeNode>();
  /** Records this node processed (Kafka Streams' processor-node metric process-total): a plain increment per record. */
  processed = 0;
  constructor(
    readonly name: string,
    readonly processor: Processor<any, any, any, any>,
    /** Stores this node may use (getStateStore of any other store is an error). */
    readonly storeNames: readonly string[],
  ) {}
  addChild(child: RuntimeNode): void {
    this.children.push(child);
    this.childByName.set(child.name, child);
  }
}
