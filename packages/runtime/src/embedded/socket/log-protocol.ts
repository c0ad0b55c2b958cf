import type { TopicPartition } from '../../io/topic-partition.ts';
import type { ProducerRecord } from '../../client/kafka-producer.ts';
import type { FetchedPartition } from '../../client/fetched-partition.ts';
import { ClientError, type ClientErrorReason } from '../../errors/client-error.ts';
import { RecordEncoder, decodeRecord } from '../log-record-codec.ts';
import type { WireWriter } from './wire-writer.ts';
import type { WireReader } from './wire-reader.ts';

/**
 * The protocol a `streams run` serves its embedded log with on a local socket (LogServer), and the other `streams`
 * commands reach the log with while it runs (LogSocketClient): the client seam's operations those commands need —
 * the admin's calls, producing batches, fetching from positions — and nothing per record.
 *
 * Every message is a frame (FrameSplitter): a u32 length, then the message.
 *
 *     request   u32 id, u8 op, body                     (client → server; ids are the client's, never 0)
 *     answer    u32 id, u8 status (OK | FAILED), body   (server → client, in the order they are ready)
 *
 * Bodies: HELLO and ADMIN are JSON (small, rare); PRODUCE and FETCH are binary, records in the log's own record
 * encoding (log-record-codec.ts: keys, values and headers as bytes, null kept apart from empty), so whatever bytes a
 * record holds cross unchanged. A FAILED answer is JSON { message, reason, partitions }: the ClientError the call
 * raised on the server, raised again on the client.
 */
export const PROTOCOL_VERSION = 1;

export const Op = {
  /** { protocol } → { protocol, pid, dir }: the first request of a connection. */
  HELLO: 1,
  /** { method, args } → the KafkaAdmin method's result (LogServer lists the methods served). */
  ADMIN: 2,
  /** Records (encodeProduce) → TopicPartitionOffset[] (JSON): KafkaProducer#send, not transactional. */
  PRODUCE: 3,
  /** Positions (encodeFetch) → FetchedPartition[] (encodeFetched): AssignedConsumer#poll. */
  FETCH: 4,
} as const;

export const OK = 0;
export const FAILED = 1;

/** What HELLO answers. */
export interface Hello {
  readonly protocol: number;
  /** The process serving the log (the `streams run`). */
  readonly pid: number;
  /** The log's directory. */
  readonly dir: string;
}

/** A position in a FETCH request: an offset, or the log start / end resolved by the server. */
export type FetchPosition = number | 'earliest' | 'latest';

export interface FetchRequest {
  readonly maxRecords: number;
  readonly timeoutMs: number;
  readonly partitions: readonly (TopicPartition & { readonly position: FetchPosition })[];
}

const EARLIEST = -1;
const LATEST = -2;
const LAG_UNKNOWN = -1;

/** Records to append, in order: a table of their topics, then each record's topic index, partition and bytes. */
export function encodeProduce(w: WireWriter, records: readonly ProducerRecord[], encoder: RecordEncoder): void {
  const topics = new Map<string, number>();
  for (const r of records) if (!topics.has(r.topic)) topics.set(r.topic, topics.size);
  w.u32(topics.size);
  for (const t of topics.keys()) w.string(t);
  w.u32(records.length);
  for (const r of records) w.u32(topics.get(r.topic)!).u32(r.partition).bytes(encoder.encode(r));
}

export function decodeProduce(r: WireReader): ProducerRecord[] {
  const topics = Array.from({ length: r.u32() }, () => r.string());
  const n = r.u32();
  const out: ProducerRecord[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const topic = topics[r.u32()];
    if (topic === undefined) throw new ClientError('A PRODUCE message names a topic it did not list: the peer speaks another protocol.', 'fatal');
    const partition = r.u32();
    const { key, value, timestamp, headers } = decodeRecord(r.bytes(), 0);
    out[i] = { topic, partition, key, value, timestamp, headers };
  }
  return out;
}

export function encodeFetch(w: WireWriter, request: FetchRequest): void {
  w.u32(request.maxRecords).u32(request.timeoutMs).u32(request.partitions.length);
  for (const p of request.partitions) {
    w.string(p.topic).u32(p.partition).f64(p.position === 'earliest' ? EARLIEST : p.position === 'latest' ? LATEST : p.position);
  }
}

export function decodeFetch(r: WireReader): FetchRequest {
  const maxRecords = r.u32();
  const timeoutMs = r.u32();
  const partitions = Array.from({ length: r.u32() }, () => {
    const topic = r.string();
    const partition = r.u32();
    const at = r.f64();
    return { topic, partition, position: at === EARLIEST ? ('earliest' as const) : at === LATEST ? ('latest' as const) : at };
  });
  return { maxRecords, timeoutMs, partitions };
}

export function encodeFetched(w: WireWriter, fetched: readonly FetchedPartition[], encoder: RecordEncoder): void {
  w.u32(fetched.length);
  for (const f of fetched) {
    w.string(f.topic).u32(f.partition).f64(f.nextOffset).f64(f.lag ?? LAG_UNKNOWN).u32(f.records.length);
    for (const rec of f.records) w.f64(rec.offset!).bytes(encoder.encode(rec));
  }
}

/** The fetched batches; keys, values and header values are views of the answer's frame. */
export function decodeFetched(r: WireReader): FetchedPartition[] {
  return Array.from({ length: r.u32() }, () => {
    const topic = r.string();
    const partition = r.u32();
    const nextOffset = r.f64();
    const lag = r.f64();
    const n = r.u32();
    const records = new Array(n);
    for (let i = 0; i < n; i++) {
      const offset = r.f64();
      records[i] = decodeRecord(r.bytes(), offset);
    }
    return { topic, partition, records, nextOffset, lag: lag === LAG_UNKNOWN ? undefined : lag };
  });
}

/** What a FAILED answer carries. */
interface FailureBody {
  readonly message: string;
  readonly reason: ClientErrorReason;
  readonly partitions: readonly TopicPartition[];
}

/** A failure on the server as a FAILED answer's body: a ClientError keeps its reason; anything else is 'fatal'. */
export function failureOf(e: unknown): FailureBody {
  if (e instanceof ClientError) return { message: e.message, reason: e.reason, partitions: e.partitions.map(({ topic, partition }) => ({ topic, partition })) };
  return { message: (e as Error)?.message ?? String(e), reason: 'fatal', partitions: [] };
}

/** A FAILED answer's body as the ClientError to raise on the client. */
export function errorOf(body: FailureBody): ClientError {
  return new ClientError(body.message, body.reason, { partitions: body.partitions });
}
