import type { Serde, Headers } from '@ts-streams/dsl';
import { NO_HEADERS } from '@ts-streams/dsl';
import type { TestRecord } from './test-record.ts';

/** The driver side a test input topic pipes into. */
export interface DriverInput {
  pipeRaw(topic: string, key: Uint8Array | null, value: Uint8Array | null, timestamp: number, headers: Headers): void;
  pipeRawList(topic: string, records: readonly { key: Uint8Array | null; value: Uint8Array | null; timestamp: number; headers: Headers }[]): void;
}

/**
 * Pipes typed records into one input topic of a TopologyTestDriver; each is processed completely
 * (and, by default, committed) before the call returns; a list is piped as one call (see the driver's
 * `commit` option). Without a timestamp a record gets the topic's current time,
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

  pipeInput(key: K | null, value: V | null, timestamp?: number, headers: Headers = NO_HEADERS): void {
    const r = this.encode(key, value, timestamp, headers);
    this.driver.pipeRaw(this.topic, r.key, r.value, r.timestamp, r.headers);
  }
  private encode(key: K | null, value: V | null, timestamp: number | undefined, headers: Headers) {
    const ts = timestamp ?? this.nextTime();
    return { key: this.keySerde.serialize(this.topic, key, headers), value: this.valueSerde.serialize(this.topic, value, headers), timestamp: ts, headers };
  }
  pipeValue(value: V | null, timestamp?: number): void {
    this.pipeInput(null, value, timestamp);
  }
  pipeRecord(record: Partial<TestRecord<K | null, V | null>> & { value: V | null }): void {
    this.pipeInput(record.key ?? null, record.value, record.timestamp, record.headers ?? NO_HEADERS);
  }
  pipeRecordList(records: readonly (Partial<TestRecord<K | null, V | null>> & { value: V | null })[]): void {
    this.driver.pipeRawList(this.topic, records.map((r) => this.encode(r.key ?? null, r.value, r.timestamp, r.headers ?? NO_HEADERS)));
  }
  pipeKeyValueList(list: readonly { key: K | null; value: V | null }[], startTimestamp?: number, advanceMs = 0): void {
    let ts = startTimestamp;
    const raw = list.map((kv) => {
      const r = this.encode(kv.key, kv.value, ts, []);
      if (ts !== undefined) ts += advanceMs;
      return r;
    });
    this.driver.pipeRawList(this.topic, raw);
  }
  pipeValueList(values: readonly (V | null)[]): void {
    this.driver.pipeRawList(this.topic, values.map((v) => this.encode(null, v, undefined, [])));
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
