import { createRequire } from 'node:module';
import type { Batch, Cluster } from 'kafkajs';
import { decodeFetchResponse, MAX_FETCH_VERSION, MIN_FETCH_VERSION, type DecodedFetchPartition, type DecodedFetchResponse } from './fetch-response-decoder.ts';
import type { DecodedRecordSet } from './record-set-decoder.ts';

/**
 * Makes the Fetch responses of our kafkajs clusters decode with fetch-response-decoder.ts instead of kafkajs's own
 * decoder (~2 µs of CPU per record, most of the consumer's time: see record-batch-decoder.ts). Other kafkajs clients
 * in the process (an application's own consumers, tests reading topics) keep kafkajs's decoder: only brokers of a
 * cluster registered with decodeFetchesOf are affected.
 *
 * How (kafkajs 2.2.4): every Fetch goes through Broker#fetch, whose first statement looks its request up with
 * `this.lookupRequest(apiKeys.Fetch, requests.Fetch)`. For a broker of ours, that one lookup is answered with
 * kafkajs's own request whose response decoder is ours (the request's encoding, its version negotiation, the
 * connection, retries and kafkajs's error parsing of the answer are all kafkajs's).
 *
 * What the answer holds per partition: kafkajs's fields (error code, watermarks as decimal strings, no aborted
 * transactions left: the decoder applied them), `decoded` (our records: see DecodedRecordSet), and `messages`, which
 * kafkajs's consumer reads to build its Batch: instead of one object per record, at most two stand-ins carrying
 * the offsets its Batch derives everything from — the first offset at or past the fetch offset, and the last
 * (nextOffset − 1) — marked as control records when no record is left for the application, so that kafkajs skips the
 * batch (resolving its offset) exactly when it would have skipped one of only control or aborted records. Our
 * records travel on that array (decodedRecordsOf(batch)); kafkajs hands the array to eachBatch as the Batch's
 * `rawMessages`.
 */

const DECODED = Symbol('ts-streams decoded record set');
const FETCH_API_KEY = 1;
const READ_COMMITTED = 1;

/** What kafkajs's Batch and its aborted-transaction filter read of a message. */
interface StandIn {
  readonly offset: string;
  readonly key: null;
  readonly isControlRecord: boolean;
  readonly batchContext: { readonly producerId: string; readonly inTransaction: boolean };
}
type StandIns = StandIn[] & { [DECODED]?: DecodedRecordSet };

interface FetchArgs {
  readonly isolationLevel?: number;
  readonly topics: readonly { readonly topic: string; readonly partitions: readonly { readonly partition: number; readonly fetchOffset: string }[] }[];
}
interface MadeRequest {
  readonly request: { readonly apiVersion: number };
  readonly response: { decode(raw: Buffer): Promise<unknown>; parse(data: unknown): Promise<unknown> };
}
type RequestProtocol = (args: FetchArgs) => MadeRequest;
interface BrokerLike {
  readonly nodeId: number | string;
  lookupRequest: (apiKey: number, definition: unknown) => RequestProtocol;
  fetch(args: FetchArgs): Promise<unknown>;
}
interface ClusterInternals {
  readonly brokerPool?: { readonly brokers?: Record<string, unknown> };
}

/** Our clusters, and whether to check batch CRCs on each. */
const clusters = new Map<Cluster, { readonly checkCrcs: boolean }>();
let installed = false;

/**
 * From now on, Fetch responses to `cluster`'s brokers are decoded by fetch-response-decoder.ts. Returns the function
 * that ends it (call it when the consumer closes). `checkCrcs` (default true, as Java's check.crcs) checks each
 * record batch's CRC-32C.
 */
export function decodeFetchesOf(cluster: Cluster, options: { readonly checkCrcs?: boolean } = {}): () => void {
  install();
  const entry = { checkCrcs: options.checkCrcs ?? true };
  clusters.set(cluster, entry);
  return () => {
    if (clusters.get(cluster) === entry) clusters.delete(cluster);
  };
}

/** The records our decoder read for a batch kafkajs's consumer handed to eachBatch; undefined if it did not read them. */
export function decodedRecordsOf(batch: Batch): DecodedRecordSet | undefined {
  return ((batch as unknown as { rawMessages?: StandIns }).rawMessages ?? undefined)?.[DECODED];
}

/** The records our decoder read for a partition of a Broker#fetch answer; undefined if kafkajs decoded it. */
export function decodedPartitionOf(partitionData: object): DecodedRecordSet | undefined {
  return (partitionData as { decoded?: DecodedRecordSet }).decoded;
}

function install(): void {
  if (installed) return;
  const Broker = createRequire(import.meta.url)('kafkajs/src/broker/index.js') as { prototype: BrokerLike };
  const fetch = Broker.prototype.fetch;
  if (typeof fetch !== 'function') throw new Error('kafkajs changed: src/broker/index.js has no Broker#fetch to decode fetches of (kafkajs 2.2.4 has)');
  installed = true;
  Broker.prototype.fetch = function fastFetch(this: BrokerLike, args: FetchArgs): Promise<unknown> {
    const options = optionsFor(this);
    if (options === undefined) return fetch.call(this, args);
    const lookup = this.lookupRequest;
    // Broker#fetch calls lookupRequest first, synchronously, before anything else can run: restored right after.
    this.lookupRequest = (apiKey, definition) => {
      const protocol = lookup(apiKey, definition);
      return apiKey === FETCH_API_KEY ? withOurDecoder(protocol, options.checkCrcs) : protocol;
    };
    try {
      return fetch.call(this, args);
    } finally {
      this.lookupRequest = lookup;
    }
  };
}

function optionsFor(broker: BrokerLike): { readonly checkCrcs: boolean } | undefined {
  for (const [cluster, options] of clusters) {
    if ((cluster as unknown as ClusterInternals).brokerPool?.brokers?.[String(broker.nodeId)] === broker) return options;
  }
  return undefined;
}

function withOurDecoder(protocol: RequestProtocol, checkCrcs: boolean): RequestProtocol {
  return (args) => {
    const made = protocol(args);
    const version = made.request.apiVersion;
    if (version < MIN_FETCH_VERSION || version > MAX_FETCH_VERSION) return made;
    const fetchOffsets = new Map<string, Map<number, number>>();
    for (const { topic, partitions } of args.topics) {
      let offsets = fetchOffsets.get(topic);
      if (offsets === undefined) fetchOffsets.set(topic, (offsets = new Map()));
      for (const { partition, fetchOffset } of partitions) offsets.set(partition, Number(fetchOffset));
    }
    // kafkajs's Fetch requests default to read_committed when no isolation level is given.
    const readCommitted = (args.isolationLevel ?? READ_COMMITTED) === READ_COMMITTED;
    const { parse } = made.response;
    return {
      ...made,
      response: {
        decode: async (raw: Buffer) => withStandIns(await decodeFetchResponse(raw, version, { fetchOffsets, readCommitted, checkCrcs })),
        parse: (data: unknown) => parse(data),
      },
    };
  };
}

function withStandIns(response: DecodedFetchResponse): DecodedFetchResponse {
  for (const { partitions } of response.responses) {
    for (const p of partitions) (p as DecodedFetchPartition & { messages: StandIns }).messages = standIns(p);
  }
  return response;
}

const NOT_TRANSACTIONAL = { producerId: '-1', inTransaction: false } as const;

/** What kafkajs's consumer sees of the partition's records (see the module comment). */
function standIns({ decoded }: DecodedFetchPartition): StandIns {
  // Nothing at or past the fetch offset: no stand-in, kafkajs fetches the partition again from the same offset.
  if (!decoded.decodedSome || decoded.firstOffset < 0) return [];
  const control = decoded.records.remaining === 0;
  const last: StandIn = { offset: String(decoded.nextOffset - 1), key: null, isControlRecord: control, batchContext: NOT_TRANSACTIONAL };
  const list: StandIns =
    decoded.firstOffset === decoded.nextOffset - 1
      ? [last]
      : [{ offset: String(decoded.firstOffset), key: null, isControlRecord: control, batchContext: NOT_TRANSACTIONAL }, last];
  list[DECODED] = decoded;
  return list;
}
