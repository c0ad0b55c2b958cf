import { ApiKey, Decoder, decodeResponseHeader, type Broker, type Encoder, type IDecoder, type IEncoder } from '@kafkats/client';
import { ClientError } from '../../errors/client-error.ts';
import type { TopicPartitions } from '../transaction-client.ts';
import { TXN_OFFSET_COMMIT_API_KEY, TXN_OFFSET_COMMIT_VERSION, decodeTxnOffsetCommitResponse } from '../record-batch/txn-offset-commit-request.ts';

// The two admin requests the seam needs that @kafkats/client 0.12 does not send — DeleteRecords (purging repartition
// topics) and DescribeConfigs (checking internal topics' configs) — written here and sent over its Broker's own
// connection, with its Encoder / Decoder. Both at their last non-flexible version, which Kafka 4.4 still takes
// (DeleteRecords 0-2, DescribeConfigs 1-4): @kafkats/client's connection writes a request's header flexible only for
// the APIs and versions it knows to be (its FLEXIBLE_VERSION_MIN), and it lists neither DeleteRecords nor version
// choices here.

const DELETE_RECORDS_VERSION = 1;
const DESCRIBE_CONFIGS_VERSION = 1;
/** Kafka's ConfigResource type of a topic. */
const TOPIC_RESOURCE = 2;

interface RawConnection {
  send(apiKey: number, apiVersion: number, encodePayload: (encoder: Encoder) => void, timeoutMs?: number): Promise<Buffer>;
}

/** The broker's control connection (a private field of @kafkats/client's Broker: checked, so that a change says so). */
function connectionOf(broker: Broker): RawConnection {
  const connection = (broker as unknown as { connection?: RawConnection }).connection;
  if (connection === undefined || typeof connection.send !== 'function') {
    throw new ClientError(
      '@kafkats/client changed: its Broker has no connection to send DeleteRecords / DescribeConfigs on (0.12.0 has); pin @kafkats/client 0.12.0',
      'fatal',
    );
  }
  return connection;
}

function requireVersion(broker: Broker, apiKey: number, version: number, name: string): void {
  const range = broker.getApiVersions().get(apiKey);
  if (range === undefined || version < range.min || version > range.max) {
    throw new ClientError(
      `The broker does not take ${name} v${version} (it takes ${range === undefined ? 'none' : `${range.min}-${range.max}`}); the @kafkats/client adapter needs it: run with client: 'kafkajs'`,
      'fatal',
    );
  }
}

export interface DeleteRecordsAnswer {
  readonly topic: string;
  readonly partition: number;
  readonly lowWatermark: number;
  readonly errorCode: number;
}

/** DeleteRecords v1 to a partitions' leader: the log start of each partition moves to the offset given. */
export async function deleteRecords(
  broker: Broker,
  byTopic: ReadonlyMap<string, readonly { partition: number; offset: number }[]>,
  timeoutMs: number,
): Promise<DeleteRecordsAnswer[]> {
  requireVersion(broker, ApiKey.DeleteRecords, DELETE_RECORDS_VERSION, 'DeleteRecords');
  const response = await connectionOf(broker).send(
    ApiKey.DeleteRecords,
    DELETE_RECORDS_VERSION,
    (encoder) => {
      encoder.writeArray([...byTopic], ([topic, partitions], e) => {
        e.writeString(topic);
        e.writeArray([...partitions], ({ partition, offset }, p) => {
          p.writeInt32(partition);
          p.writeInt64(BigInt(offset));
        });
      });
      encoder.writeInt32(timeoutMs);
    },
    timeoutMs + 30_000,
  );
  const decoder = new Decoder(response);
  decodeResponseHeader(decoder, ApiKey.DeleteRecords, DELETE_RECORDS_VERSION);
  decoder.readInt32(); // throttle_time_ms
  return decoder.readArray((t) => {
    const topic = t.readString();
    return t.readArray((p) => ({ topic, partition: p.readInt32(), lowWatermark: Number(p.readInt64()), errorCode: p.readInt16() }));
  }).flat();
}

export interface TopicConfigs {
  readonly topic: string;
  readonly errorCode: number;
  readonly errorMessage: string | null;
  /** The configs set on the topic itself (source DYNAMIC_TOPIC_CONFIG), not the broker's defaults. */
  readonly set: Readonly<Record<string, string>>;
}

/** Kafka's ConfigSource of a config set on the topic itself. */
const DYNAMIC_TOPIC_CONFIG = 1;

/** DescribeConfigs v1 for topics (any broker answers for topics). */
export async function describeTopicConfigs(broker: Broker, topics: readonly string[]): Promise<TopicConfigs[]> {
  requireVersion(broker, ApiKey.DescribeConfigs, DESCRIBE_CONFIGS_VERSION, 'DescribeConfigs');
  const response = await connectionOf(broker).send(ApiKey.DescribeConfigs, DESCRIBE_CONFIGS_VERSION, (encoder) => {
    encoder.writeArray([...topics], (topic, e) => {
      e.writeInt8(TOPIC_RESOURCE);
      e.writeString(topic);
      e.writeInt32(-1); // configuration_keys: null, all of them
    });
    encoder.writeBoolean(false); // include_synonyms
  });
  const decoder = new Decoder(response);
  decodeResponseHeader(decoder, ApiKey.DescribeConfigs, DESCRIBE_CONFIGS_VERSION);
  decoder.readInt32(); // throttle_time_ms
  return decoder.readArray((r) => {
    const errorCode = r.readInt16();
    const errorMessage = r.readNullableString();
    r.readInt8(); // resource_type
    const topic = r.readString();
    const set: Record<string, string> = {};
    r.readArray((c) => {
      const name = c.readString();
      const value = c.readNullableString();
      c.readBoolean(); // read_only
      const source = c.readInt8();
      c.readBoolean(); // is_sensitive
      c.readArray((s) => {
        s.readString();
        s.readNullableString();
        s.readInt8();
      });
      if (source === DYNAMIC_TOPIC_CONFIG && value !== null) set[name] = value;
    });
    return { topic, errorCode, errorMessage, set };
  });
}

/**
 * AddPartitionsToTxn at version 3, the last a client may send: @kafkats/client's Broker picks the highest version both
 * sides take, and Kafka 4 takes 4–5 — versions for brokers only (a batch of transactions, KIP-890), which it refuses
 * from a client. Flexible (compact strings and arrays, tagged fields). Answers each partition's error code.
 */
const ADD_PARTITIONS_TO_TXN_VERSION = 3;

export interface AddPartitionsToTxnAnswer {
  readonly topic: string;
  readonly partition: number;
  readonly errorCode: number;
}

export async function addPartitionsToTxn(
  broker: Broker,
  transactionalId: string,
  producerId: bigint,
  producerEpoch: number,
  topics: readonly TopicPartitions[],
): Promise<AddPartitionsToTxnAnswer[]> {
  requireVersion(broker, ApiKey.AddPartitionsToTxn, ADD_PARTITIONS_TO_TXN_VERSION, 'AddPartitionsToTxn');
  const response = await connectionOf(broker).send(ApiKey.AddPartitionsToTxn, ADD_PARTITIONS_TO_TXN_VERSION, (encoder) => {
    writeAddPartitionsToTxnRequest(encoder, transactionalId, producerId, producerEpoch, topics);
  });
  const decoder = new Decoder(response);
  decodeResponseHeader(decoder, ApiKey.AddPartitionsToTxn, ADD_PARTITIONS_TO_TXN_VERSION);
  return readAddPartitionsToTxnResponse(decoder);
}

/** AddPartitionsToTxn v3's body, after the request header (checked byte for byte against Kafka's Java client). */
export function writeAddPartitionsToTxnRequest(
  encoder: IEncoder,
  transactionalId: string,
  producerId: bigint,
  producerEpoch: number,
  topics: readonly TopicPartitions[],
): void {
  encoder.writeCompactString(transactionalId);
  encoder.writeInt64(producerId);
  encoder.writeInt16(producerEpoch);
  encoder.writeCompactArray([...topics], ({ topic, partitions }, e) => {
    e.writeCompactString(topic);
    e.writeCompactArray([...partitions], (p, pe) => pe.writeInt32(p));
    e.writeEmptyTaggedFields();
  });
  encoder.writeEmptyTaggedFields();
}

/** AddPartitionsToTxn v3's answer after the response header: each partition's error code. */
export function readAddPartitionsToTxnResponse(decoder: IDecoder): AddPartitionsToTxnAnswer[] {
  decoder.readInt32(); // throttle_time_ms
  const results = decoder.readCompactArray((t) => {
    const topic = t.readCompactString();
    const partitions = t.readCompactArray((p) => {
      const partition = p.readInt32();
      const errorCode = p.readInt16();
      p.skipTaggedFields();
      return { topic, partition, errorCode };
    });
    t.skipTaggedFields();
    return partitions;
  });
  return results.flat();
}

/**
 * TxnOffsetCommit v3 with the group's metadata (KIP-447), its body encoded by record-batch/txn-offset-commit-request.ts
 * (the kafkajs adapter's, checked byte for byte against Kafka's Java client), sent over the Broker's connection —
 * which writes the request header v2 itself, so the body's leading header tagged fields are left out — and its answer
 * decoded by the same module (past the correlation id, which that decoder does not expect).
 */
export async function txnOffsetCommit(broker: Broker, body: Buffer): Promise<ReturnType<typeof decodeTxnOffsetCommitResponse>> {
  requireVersion(broker, TXN_OFFSET_COMMIT_API_KEY, TXN_OFFSET_COMMIT_VERSION, 'TxnOffsetCommit');
  const response = await connectionOf(broker).send(TXN_OFFSET_COMMIT_API_KEY, TXN_OFFSET_COMMIT_VERSION, (encoder) => {
    encoder.writeRaw(body.subarray(1));
  });
  return decodeTxnOffsetCommitResponse(response.subarray(4));
}
