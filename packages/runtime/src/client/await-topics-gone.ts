import { ClientError } from '../errors/client-error.ts';

/**
 * Waits until the broker no longer lists topics just deleted. A DeleteTopics answer does not mean the name is free:
 * for a moment the broker still lists the topic, and a CreateTopics of the same name then answers
 * TOPIC_ALREADY_EXISTS — so an application started right after a reset (`streams run --from-beginning`) took its
 * internal topics for existing ones, the deletion completed under it, and its producer and consumer met
 * UNKNOWN_TOPIC_OR_PARTITION for good (seen in CI). Kafka Streams' InternalTopicManager likewise waits out topics
 * marked for deletion before it creates them.
 */
export async function awaitTopicsGone(listTopics: () => Promise<readonly string[]>, topics: readonly string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let backoff = 50; ; backoff = Math.min(backoff * 2, 1_000)) {
    const listed = new Set(await listTopics());
    const left = topics.filter((topic) => listed.has(topic));
    if (left.length === 0) return;
    if (Date.now() + backoff > deadline) {
      throw new ClientError(
        `Deleting topics ${topics.join(', ')}: the broker still lists ${left.join(', ')} ${timeoutMs} ms after deleting it; check the broker's log for the deletion, then run the command again`,
        'unreachable',
      );
    }
    await new Promise((resolve) => setTimeout(resolve, backoff));
  }
}
