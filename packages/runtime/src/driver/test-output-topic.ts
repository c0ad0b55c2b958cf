import type { Serde } from '@ts-streams/dsl';
import type { TestRecord } from './test-record.ts';
import type { OutputRecord } from '../io/raw-record.ts';
import type { OutputQueue } from './output-queue.ts';
import { StreamsError } from '../errors/streams-error.ts';

/** Reads (and removes) what the topology wrote to one output topic, deserialized (Kafka Streams' TestOutputTopic). */
export class TestOutputTopic<K, V> {
  constructor(
    private readonly queue: () => OutputQueue,
    readonly topic: string,
    private readonly keySerde: Serde<K>,
    private readonly valueSerde: Serde<V>,
  ) {}

  private take(): OutputRecord {
    const q = this.queue();
    const r = q.shift();
    if (!r) throw new StreamsError(`No more records in output topic '${this.topic}'. Check isEmpty() first, or that the topology writes to '${this.topic}'.`);
    return r;
  }
  private decode(r: OutputRecord): TestRecord<K | null, V | null> {
    return {
      key: this.keySerde.deserialize(this.topic, r.key, r.headers),
      value: this.valueSerde.deserialize(this.topic, r.value, r.headers),
      timestamp: r.timestamp,
      headers: r.headers,
    };
  }
  readRecord(): TestRecord<K | null, V | null> {
    return this.decode(this.take());
  }
  readKeyValue(): { key: K | null; value: V | null } {
    const r = this.readRecord();
    return { key: r.key, value: r.value };
  }
  readValue(): V | null {
    return this.readRecord().value;
  }
  readRecordsToList(): TestRecord<K | null, V | null>[] {
    return this.queue().takeAll().map((r) => this.decode(r));
  }
  readKeyValuesToList(): { key: K | null; value: V | null }[] {
    return this.readRecordsToList().map((r) => ({ key: r.key, value: r.value }));
  }
  readValuesToList(): (V | null)[] {
    return this.readRecordsToList().map((r) => r.value);
  }
  /** Latest value per key (a null value removes the key), as Kafka Streams' readKeyValuesToMap. */
  readKeyValuesToMap(): Map<K | null, V | null> {
    const m = new Map<K | null, V | null>();
    for (const r of this.readRecordsToList()) {
      if (r.key === null) throw new StreamsError(`readKeyValuesToMap() on '${this.topic}' met a record with a null key; use readKeyValuesToList().`);
      if (r.value === null) m.delete(r.key);
      else m.set(r.key, r.value);
    }
    return m;
  }
  isEmpty(): boolean {
    return this.queue().size === 0;
  }
  getQueueSize(): number {
    return this.queue().size;
  }
}
