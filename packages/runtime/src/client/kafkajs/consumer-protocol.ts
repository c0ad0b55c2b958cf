import type { TopicPartition } from '../../io/topic-partition.ts';

// Kafka's consumer protocol (ConsumerProtocolSubscription / ConsumerProtocolAssignment, version 0), the bytes a
// member sends in JoinGroup and receives in SyncGroup, with our assignor's userData inside:
//   Subscription: version int16, topics [string], user_data bytes
//   Assignment:   version int16, [topic string, partitions [int32]], user_data bytes
// (string: int16 length + UTF-8; array: int32 count; bytes: int32 length + data, -1 for null.)

export interface Subscription {
  readonly version: number;
  readonly topics: readonly string[];
  readonly userData: Uint8Array;
}

export interface Assignment {
  readonly version: number;
  readonly partitions: readonly TopicPartition[];
  readonly userData: Uint8Array;
}

export function encodeSubscription(subscription: Subscription): Buffer {
  const writer = new Writer();
  writer.int16(subscription.version);
  writer.int32(subscription.topics.length);
  for (const topic of subscription.topics) writer.string(topic);
  writer.bytes(subscription.userData);
  return writer.done();
}

export function decodeSubscription(bytes: Uint8Array): Subscription {
  const reader = new Reader(bytes);
  const version = reader.int16();
  const topics = reader.array(() => reader.string());
  // Members of other clients may end the subscription early (older versions): no user data then.
  const userData = reader.remaining() >= 4 ? reader.bytes() : new Uint8Array(0);
  return { version, topics, userData };
}

export function encodeAssignment(assignment: Assignment): Buffer {
  const byTopic = new Map<string, number[]>();
  for (const { topic, partition } of assignment.partitions) {
    if (!byTopic.has(topic)) byTopic.set(topic, []);
    byTopic.get(topic)!.push(partition);
  }
  const writer = new Writer();
  writer.int16(assignment.version);
  writer.int32(byTopic.size);
  for (const [topic, partitions] of byTopic) {
    writer.string(topic);
    writer.int32(partitions.length);
    for (const partition of partitions) writer.int32(partition);
  }
  writer.bytes(assignment.userData);
  return writer.done();
}

export function decodeAssignment(bytes: Uint8Array): Assignment {
  const reader = new Reader(bytes);
  if (reader.remaining() < 2) return { version: 0, partitions: [], userData: new Uint8Array(0) };
  const version = reader.int16();
  const partitions: TopicPartition[] = [];
  reader.array(() => {
    const topic = reader.string();
    reader.array(() => partitions.push({ topic, partition: reader.int32() }));
  });
  const userData = reader.remaining() >= 4 ? reader.bytes() : new Uint8Array(0);
  return { version, partitions, userData };
}

class Writer {
  readonly #chunks: Buffer[] = [];

  int16(value: number): void {
    const chunk = Buffer.allocUnsafe(2);
    chunk.writeInt16BE(value);
    this.#chunks.push(chunk);
  }

  int32(value: number): void {
    const chunk = Buffer.allocUnsafe(4);
    chunk.writeInt32BE(value);
    this.#chunks.push(chunk);
  }

  string(value: string): void {
    const data = Buffer.from(value, 'utf8');
    this.int16(data.length);
    this.#chunks.push(data);
  }

  bytes(value: Uint8Array): void {
    this.int32(value.length);
    this.#chunks.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
  }

  done(): Buffer {
    return Buffer.concat(this.#chunks);
  }
}

class Reader {
  readonly #data: Buffer;
  #at = 0;

  constructor(bytes: Uint8Array) {
    this.#data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  remaining(): number {
    return this.#data.length - this.#at;
  }

  int16(): number {
    const value = this.#data.readInt16BE(this.#at);
    this.#at += 2;
    return value;
  }

  int32(): number {
    const value = this.#data.readInt32BE(this.#at);
    this.#at += 4;
    return value;
  }

  string(): string {
    const length = this.int16();
    const value = this.#data.toString('utf8', this.#at, this.#at + length);
    this.#at += length;
    return value;
  }

  bytes(): Uint8Array {
    const length = this.int32();
    if (length < 0) return new Uint8Array(0);
    const value = Uint8Array.prototype.slice.call(this.#data, this.#at, this.#at + length);
    this.#at += length;
    return value;
  }

  array<T>(item: () => T): T[] {
    const count = this.int32();
    const items: T[] = [];
    for (let i = 0; i < count; i++) items.push(item());
    return items;
  }
}
