import type { KafkaAdmin, NewTopic, TopicDescription } from '../src/client/kafka-admin.ts';

/**
 * A test double of the client seam's admin, for ensureInternalTopics only: topics as name → partitions and configs,
 * created, described and counted. The real broker test comes with the kafkajs adapter; what these tests do not need
 * (offsets, records) rejects instead of pretending.
 */
export class MemoryAdmin implements KafkaAdmin {
  readonly topics = new Map<string, TopicDescription>();
  /** Every createTopics call, as asked. */
  readonly createCalls: NewTopic[][] = [];
  /** Runs inside createTopics before it creates anything: another instance racing this one. */
  beforeCreate: (() => void) | undefined;

  constructor(topics: Record<string, number> = {}) {
    for (const [name, partitions] of Object.entries(topics)) this.topics.set(name, { name, partitions, configs: {} });
  }

  async connect(): Promise<void> {}

  async createTopics(topics: readonly NewTopic[]): Promise<readonly string[]> {
    this.createCalls.push([...topics]);
    this.beforeCreate?.();
    const created: string[] = [];
    for (const t of topics) {
      if (this.topics.has(t.name)) continue;
      this.topics.set(t.name, { name: t.name, partitions: t.partitions, configs: { ...t.configs } });
      created.push(t.name);
    }
    return created;
  }

  async describeTopics(topics: readonly string[]): Promise<ReadonlyMap<string, TopicDescription | undefined>> {
    return new Map(topics.map((t) => [t, this.topics.get(t)]));
  }

  async listOffsets(): Promise<never> {
    throw new Error('MemoryAdmin keeps no records: listOffsets is not part of what it stands in for.');
  }

  async deleteRecords(): Promise<never> {
    throw new Error('MemoryAdmin keeps no records: deleteRecords is not part of what it stands in for.');
  }

  async listTopics(): Promise<readonly string[]> {
    return [...this.topics.keys()];
  }

  async deleteTopics(topics: readonly string[]): Promise<void> {
    for (const t of topics) this.topics.delete(t);
  }

  async committedOffsets(): Promise<never> {
    throw new Error('MemoryAdmin keeps no groups: committedOffsets is not part of what it stands in for.');
  }

  async alterCommittedOffsets(): Promise<never> {
    throw new Error('MemoryAdmin keeps no groups: alterCommittedOffsets is not part of what it stands in for.');
  }

  async close(): Promise<void> {}
}
