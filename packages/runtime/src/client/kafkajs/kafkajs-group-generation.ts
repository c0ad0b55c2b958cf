import { createRequire } from 'node:module';

/**
 * The generation a kafkajs group member is in, for offsets committed inside a transaction (KIP-447: TxnOffsetCommit
 * carries the generation and member id, so that the coordinator fences a member whose generation is over). kafkajs
 * keeps them on its ConsumerGroup (kafkajs 2.2.4, src/consumer/consumerGroup.js: `generationId`, `memberId`) and tells
 * neither: its GROUP_JOIN event names the member, not the generation. Wrapping ConsumerGroup#joinAndSync (every join
 * goes through it) registers each group by the member id it joined with, so an adapter finds its own by the member
 * id GROUP_JOIN gave it, and reads the generation there when it commits (kafkajs-rebalance-hold.ts wraps its Runner
 * the same way).
 */
interface ConsumerGroupLike {
  readonly memberId: string | null;
  readonly generationId: number | null;
  joinAndSync(): Promise<void>;
}

const groups = new Map<string, ConsumerGroupLike>();
let installed = false;

function install(): void {
  if (installed) return;
  installed = true;
  const ConsumerGroup = createRequire(import.meta.url)('kafkajs/src/consumer/consumerGroup.js') as { prototype: ConsumerGroupLike };
  const joinAndSync = ConsumerGroup.prototype.joinAndSync;
  if (typeof joinAndSync !== 'function') {
    throw new Error('kafkajs changed: src/consumer/consumerGroup.js has no ConsumerGroup#joinAndSync to read the generation from (kafkajs 2.2.4 has)');
  }
  ConsumerGroup.prototype.joinAndSync = async function registeringJoinAndSync(this: ConsumerGroupLike): Promise<void> {
    // Registered once the join ends (GROUP_JOIN is emitted inside it; the runtime commits only after the assignment's
    // callbacks ran, in later polls). A failed join registers too: the member id may be the one kept.
    try {
      await joinAndSync.call(this);
    } finally {
      if (this.memberId !== null) groups.set(this.memberId, this);
    }
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
