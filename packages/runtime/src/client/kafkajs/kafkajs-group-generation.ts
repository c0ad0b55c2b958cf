import { createRequire } from 'node:module';

/**
 * The generation a kafkajs group member is in, for offsets committed inside a transaction (KIP-447: TxnOffsetCommit
 * carries the generation and member id, so that the coordinator fences a member whose generation is over). kafkajs
 * keeps them on its ConsumerGroup (kafkajs 2.2.4, src/consumer/consumerGroup.js: `generationId`, `memberId`) and tells
 * neither: its GROUP_JOIN event names the member, not the generation. ConsumerGroup#joinAndSync calls isLeader() on
 * the group right before it emits GROUP_JOIN (for the event's payload), after the join set the member id and the
 * generation: wrapping that synchronous method registers each group by its member id, so an adapter finds its own by
 * the member id GROUP_JOIN gives it and reads the generation there when it commits. (Not joinAndSync itself: an
 * asynchronous wrapper there delays what kafkajs does after every join by a few microtasks, which changed how a
 * member came back from a broker restart — broker-outage.test.ts counted records twice.)
 */
interface ConsumerGroupLike {
  readonly memberId: string | null;
  readonly generationId: number | null;
  isLeader(): boolean;
}

const groups = new Map<string, ConsumerGroupLike>();
let installed = false;

function install(): void {
  if (installed) return;
  installed = true;
  const ConsumerGroup = createRequire(import.meta.url)('kafkajs/src/consumer/consumerGroup.js') as { prototype: ConsumerGroupLike };
  const isLeader = ConsumerGroup.prototype.isLeader;
  if (typeof isLeader !== 'function') {
    throw new Error('kafkajs changed: src/consumer/consumerGroup.js has no ConsumerGroup#isLeader to find the group by (kafkajs 2.2.4 has)');
  }
  ConsumerGroup.prototype.isLeader = function registeringIsLeader(this: ConsumerGroupLike): boolean {
    if (this.memberId !== null) groups.set(this.memberId, this);
    return isLeader.call(this);
  };
}

/** Starts registering kafkajs's groups (call before the consumer joins). */
export function trackGroupGenerations(): void {
  install();
}

/** The generation of member `memberId` as kafkajs holds it now, or undefined when it is not known (not joined). */
export function generationOf(memberId: string): number | undefined {
  const group = groups.get(memberId);
  if (group === undefined || group.memberId !== memberId || group.generationId === null) return undefined;
  return group.generationId;
}

/** Forgets a member (its consumer closed, or its member id changed). */
export function forgetGeneration(memberId: string): void {
  groups.delete(memberId);
}
