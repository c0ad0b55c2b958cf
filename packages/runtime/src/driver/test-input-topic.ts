import type { Serde, Headers } from '@ts-streams/dsl';
import type { TestRecord } from './test-record.ts';

/** The driver side a test input topic pipes into. */
export interface DriverInput {
  pipeRaw(topic: string, key: Uint8Array | null, value: Uint8Array | null, timestamp: number, headers: Headers): void;
}

/**
 * Pipes typed records into one input topic of a TopologyTestDriver; each is processed completely
 * (and committed) before the call returns. Without a timestamp a record gets the topic's current time,
 * which then advances by `autoAdvanceMs`.
 */
export class TestInputTopic<K, V> {
  private currentTime: number;
  constructor(
    private readonly driver: DriverInput,
    readonly topic: string,
    private readonly keySerde: Serde<K>,
    private readonly valueSerde: Serde<V>,
    startTimestamp: number,
    private readonly autoAdvanceMs: number,
  ) {
    this.currentTime = startTimestamp;
  }

  pipeInput(key: K | null, value: V | null, timestamp?: number, headers: Headers = []): void {
    const ts = timestamp ?? this.nextTime();
    const k = this.keySerde.serialize(this.topic, key, headers);
    const v = this.valueSerde.serialize(this.topic, value, headers);
    this.driver.pipeRaw(this.topic, k, v, ts, headers);
  }
  pipeValue(value: V | null, timestamp?: number): void {
    this.pipeInput(null, value, timestamp);
  }
  pipeRecord(record: Partial<TestRecord<K | null, V | null>> & { value: V | null }): void {
    this.pipeInput(record.key ?? null, record.value, record.timestamp, record.headers ?? []);
  }
  pipeRecordList(records: readonly (Partial<TestRecord<K | null, V | null>> & { value: V | null })[]): void {
    for (const r of records) this.pipeRecord(r);
  }
  pipeKeyValueList(list: readonly { key: K | null; value: V | null }[], startTimestamp?: number, advanceMs = 0): void {
    let ts = startTimestamp;
    for (const kv of list) {
      this.pipeInput(kv.key, kv.value, ts);
      if (ts !== undefined) ts += advanceMs;
    }
  }
  pipeValueList(values: readonly (V | null)[]): void {
    for (const v of values) this.pipeValue(v);
  }
  /** Moves this topic's time for records piped without a timestamp. */
  advanceTime(ms: number): void {
    this.currentTime += ms;
  }
  private nextTime(): number {
    const t = this.currentTime;
    this.currentTime += this.autoAdvanceMs;
    return t;
  }
}
