import { createRequire } from 'node:module';

/**
 * Lets a group consumer hold kafkajs's rejoin until the runtime has revoked its partitions (Kafka's
 * ConsumerRebalanceListener#onPartitionsRevoked, which Java's consumer runs before it rejoins).
 *
 * kafkajs learns of a rebalance from a heartbeat answered REBALANCE_IN_PROGRESS, and every heartbeat its runner sends
 * goes through one method, Runner#heartbeat: the one after each batch, the one eachBatch's payload offers, the one
 * after an empty fetch (a member with nothing to read). The error then unwinds to the runner's fetch loop, which
 * rejoins at once. Wrapping that method (kafkajs 2.2.4, src/consumer/runner.js) and awaiting the member's hold before
 * the error goes on makes every such rebalance wait for the revoke — while the member is still in its generation, so
 * the commits of the revoke are accepted (the coordinator takes commits of the current generation while it prepares
 * the rebalance). Other ways kafkajs rejoins (a fetch answered with stale metadata, an unknown member id) are not
 * held: the adapter handles them as rejoins that happened (see KafkajsGroupConsumer).
 *
 * Holds are found by member id (the consumer group's, as kafkajs's GROUP_JOIN reports it), so consumers of the same
 * group in one process each hold their own.
 */
const holds = new Map<string, () => Promise<void>>();

interface RunnerLike {
  readonly consumerGroup: { readonly memberId: string | null };
  heartbeat(): Promise<void>;
}

let installed = false;

function install(): void {
  if (installed) return;
  installed = true;
  const Runner = createRequire(import.meta.url)('kafkajs/src/consumer/runner.js') as { prototype: RunnerLike };
  const heartbeat = Runner.prototype.heartbeat;
  if (typeof heartbeat !== 'function') {
    throw new Error('kafkajs changed: src/consumer/runner.js has no Runner#heartbeat to hold rebalances on (kafkajs 2.2.4 has)');
  }
  Runner.prototype.heartbeat = async function heldHeartbeat(this: RunnerLike): Promise<void> {
    try {
      await heartbeat.call(this);
    } catch (error) {
      const hold = this.consumerGroup.memberId === null ? undefined : holds.get(this.consumerGroup.memberId);
      if (hold !== undefined && (error as { type?: string }).type === 'REBALANCE_IN_PROGRESS') await hold();
      throw error;
    }
  };
}

/**
 * From now on, a rebalance kafkajs learns of through a heartbeat of member `memberId` waits for `hold` before kafkajs
 * rejoins. Returns the function that ends it (call it when the member id changes or the consumer closes).
 */
export function holdRebalances(memberId: string, hold: () => Promise<void>): () => void {
  install();
  holds.set(memberId, hold);
  return () => {
    if (holds.get(memberId) === hold) holds.delete(memberId);
  };
}
