import { ErrorCode, type Cluster, type responses } from '@kafkats/client';
import { ClientError } from '../../errors/client-error.ts';
import type { RawRecord } from '../../io/raw-record.ts';
import type { TopicPartition } from '../../io/topic-partition.ts';
import type { FetchedPartition } from '../fetched-partition.ts';
import { codeError, reasonOf, reasonOfCode, toClientError } from './kafkats-errors.ts';
import { listOffsets } from './kafkats-list-offsets.ts';
import { CorruptBatchError, decodeFetchedRecords } from './kafkats-records.ts';
import { Signal } from '../signal.ts';

/** How long a Fetch waits on the broker for records (a caught-up partition answers after it: Java's fetch.max.wait.ms). */
const MAX_WAIT_MS = 500;
/** The most bytes one partition contributes to a Fetch answer (Java's max.partition.fetch.bytes). */
const MAX_BYTES_PER_PARTITION = 1024 * 1024;
/** The most bytes of one Fetch answer (Java's fetch.max.bytes). */
const MAX_BYTES = 50 * 1024 * 1024;
/** How much the average record size seen so far follows each new answer (an exponential moving average). */
const SIZE_WEIGHT = 0.2;
const FIRST_BACKOFF_MS = 100;
const MAX_BACKOFF_MS = 1_000;

/** Where a partition's next fetch starts: an offset, or the log start / end still to be looked up. */
export type FetchPosition = number | 'earliest' | 'latest';

/** What a fetch finding a partition's position outside its log does: report it at the next poll, or move there. */
export type OutOfRangePolicy = (tp: TopicPartition) => 'report' | 'earliest' | 'latest';

export interface FetcherOptions {
  readonly isolation: 'read_uncommitted' | 'read_committed';
  /** The most records fetched and not yet returned by poll (the run-ahead bound). */
  readonly maxBufferedRecords: number;
  /** How long fetching may keep failing (no broker answers, a leader gone) before polls reject with the failure. */
  readonly failureTimeoutMs: number;
  readonly outOfRange: OutOfRangePolicy;
  /** For error messages: "the group consumer of x", "the assigned consumer". */
  readonly name: string;
}

interface PartitionState {
  readonly topic: string;
  readonly partition: number;
  /** Where the next fetch starts (undefined: nowhere yet: the partition is not fetched). */
  position: FetchPosition | undefined;
  /** Bumped at every seek: an answer to a fetch sent before it is dropped. */
  version: number;
  paused: boolean;
  inFlight: boolean;
  /** Fetched records not yet returned by poll: records[start..]. */
  records: RawRecord[];
  start: number;
  /** The high watermark (or, under read_committed, the last stable offset) the last answer reported. */
  end: number;
  /** A fetch answered since poll last reported the partition. */
  answered: boolean;
  /** The next poll rejects with this (offset-out-of-range, reported); fetching the partition stops until a seek. */
  failure: ClientError | undefined;
}

/**
 * The consumers' fetching over @kafkats/client's connections (its Cluster and Broker#fetch, its record batch
 * decoding), as Java's KafkaConsumer fetches: a background loop keeps one Fetch in flight per leader broker for the
 * assigned, positioned, unpaused partitions, while fewer than maxBufferedRecords records of unpaused partitions are
 * buffered, each Fetch sized to the room left; polls take from the buffer. Each answer for a partition — records or none — makes it reported by the
 * next poll, with its lag from the answer's high watermark (so a caught-up partition shows as an empty entry with
 * lag 0). Used by the group consumer (positions from the committed offsets) and the assigned consumer (positions
 * from seeks).
 */
export class KafkatsFetcher {
  readonly #cluster: Cluster;
  readonly #options: FetcherOptions;
  readonly #partitions = new Map<string, PartitionState>();
  /** Records arrived, a failure or a partition to report: a waiting poll looks again. */
  readonly #arrived = new Signal();
  /** Polls took records, or partitions, positions or pauses changed: the fetch loop looks again. */
  readonly #changed = new Signal();
  readonly #inFlightBrokers = new Set<number>();
  #buffered = 0;
  #rotation = 0;
  #failure: ClientError | undefined;
  #failingSince: number | undefined;
  /** Since when some partition to fetch has had no leader in the metadata. */
  #missingSince: number | undefined;
  #backoff = FIRST_BACKOFF_MS;
  #metadataStale = true;
  /** The average bytes per record of the answers so far (0: none yet): sizes a Fetch to the room left in the buffer. */
  #bytesPerRecord = 0;
  /** Where the next Fetch starts in the list of partitions (the broker fills an answer in request order). */
  #fetchRotation = 0;
  #loop: Promise<void> | undefined;
  #closed = false;

  constructor(cluster: Cluster, options: FetcherOptions) {
    if (!(options.maxBufferedRecords >= 1)) {
      throw new TypeError(`maxBufferedRecords must be at least 1, got ${options.maxBufferedRecords}`);
    }
    this.#cluster = cluster;
    this.#options = options;
  }

  /** Starts the fetch loop (the cluster is connected). */
  start(): void {
    this.#loop ??= this.#fetchLoop();
  }

  /** Records fetched and not yet returned by poll. */
  get bufferedRecords(): number {
    return this.#buffered;
  }

  has(tp: TopicPartition): boolean {
    return this.#partitions.has(keyOf(tp));
  }

  /**
   * Replaces the set of partitions fetched. A partition kept keeps its position and buffered records; a new one
   * starts at `initial` (undefined: not fetched until a seek); a dropped one is forgotten with what was buffered.
   */
  assign(partitions: readonly TopicPartition[], initial?: (tp: TopicPartition) => FetchPosition | undefined): void {
    const wanted = new Set(partitions.map(keyOf));
    for (const [key, state] of this.#partitions) {
      if (wanted.has(key)) continue;
      this.#buffered -= state.records.length - state.start;
      state.version++;
      this.#partitions.delete(key);
    }
    for (const tp of partitions) {
      const key = keyOf(tp);
      if (this.#partitions.has(key)) continue;
      this.#partitions.set(key, {
        topic: tp.topic,
        partition: tp.partition,
        position: initial?.(tp),
        version: 0,
        paused: false,
        inFlight: false,
        records: [],
        start: 0,
        end: 0,
        answered: false,
        failure: undefined,
      });
    }
    this.#changed.notify();
  }

  /** The next fetch of an assigned partition starts at `position`; what was buffered of it is dropped. */
  seek(tp: TopicPartition, position: FetchPosition): void {
    const state = this.#partitions.get(keyOf(tp));
    if (state === undefined) return;
    this.#drop(state);
    state.position = position;
    state.failure = undefined;
    state.version++;
    this.#changed.notify();
  }

  /** Where the partition's next record returned by poll starts, when known (a number position). */
  position(tp: TopicPartition): number | undefined {
    const state = this.#partitions.get(keyOf(tp));
    if (state === undefined) return undefined;
    if (state.start < state.records.length) return state.records[state.start]!.offset;
    return typeof state.position === 'number' ? state.position : undefined;
  }

  pause(partitions: readonly TopicPartition[]): void {
    for (const tp of partitions) {
      const state = this.#partitions.get(keyOf(tp));
      if (state !== undefined) state.paused = true;
    }
    // What they hold no longer counts against the run-ahead: a fetch loop held on it may go on.
    this.#changed.notify();
  }

  /**
   * The run-ahead maxBufferedRecords bounds: buffered records of the partitions not paused. A paused partition's
   * records wait for its resume (polls leave them); counting them would stop fetching every other partition, among
   * them the one the paused partition's task waits for (a join's other side): neither would ever move.
   */
  #runAhead(): number {
    let n = this.#buffered;
    for (const state of this.#partitions.values()) if (state.paused) n -= state.records.length - state.start;
    return n;
  }

  resume(partitions: readonly TopicPartition[]): void {
    for (const tp of partitions) {
      const state = this.#partitions.get(keyOf(tp));
      if (state !== undefined) state.paused = false;
    }
    this.#changed.notify();
    this.#arrived.notify();
  }

  /** Wakes a waiting poll (something outside the fetcher changed: a rebalance is due, the consumer closes). */
  wake(): void {
    this.#arrived.notify();
  }

  /**
   * Up to maxRecords buffered records, as soon as some partition has any, else after timeoutMs with what was answered
   * (empty entries). `interrupted` ends the wait early (it is checked after each wake-up).
   */
  async poll(options: { readonly maxRecords: number; readonly timeoutMs: number }, interrupted: () => boolean = () => false): Promise<FetchedPartition[]> {
    const deadline = Date.now() + options.timeoutMs;
    for (;;) {
      this.#throwFailures();
      if (this.#closed || interrupted()) return [];
      if (this.#hasRecords() || Date.now() >= deadline) return this.#take(options.maxRecords);
      await this.#arrived.wait(deadline - Date.now());
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#changed.notify();
    this.#arrived.notify();
    await this.#loop?.catch(() => undefined);
  }

  #throwFailures(): void {
    if (this.#failure !== undefined) throw this.#failure;
    const failed = [...this.#partitions.values()].filter((s) => s.failure !== undefined);
    if (failed.length === 0) return;
    const errors = failed.map((s) => s.failure!);
    for (const s of failed) s.failure = undefined;
    // The partitions stay unfetched (position undefined) until a seek.
    throw errors.length === 1
      ? errors[0]!
      : new ClientError(errors.map((e) => e.message).join('; '), 'offset-out-of-range', { partitions: errors.flatMap((e) => e.partitions) });
  }

  #hasRecords(): boolean {
    for (const state of this.#partitions.values()) if (!state.paused && state.start < state.records.length) return true;
    return false;
  }

  #take(maxRecords: number): FetchedPartition[] {
    const states = [...this.#partitions.values()];
    const taken: FetchedPartition[] = [];
    let room = maxRecords;
    const first = states.length === 0 ? 0 : this.#rotation++ % states.length;
    for (let i = 0; i < states.length; i++) {
      const state = states[(first + i) % states.length]!;
      if (!state.answered || state.paused) continue;
      const available = state.records.length - state.start;
      const count = Math.min(available, room);
      if (available > 0 && count === 0) continue;
      const records = count === 0 ? [] : count === available && state.start === 0 ? state.records : state.records.slice(state.start, state.start + count);
      state.start += count;
      room -= count;
      this.#buffered -= count;
      const drained = state.start === state.records.length;
      if (drained) {
        state.records = [];
        state.start = 0;
        state.answered = false;
      }
      const nextOffset = drained ? (typeof state.position === 'number' ? state.position : records[records.length - 1]!.offset! + 1) : records[records.length - 1]!.offset! + 1;
      taken.push({ topic: state.topic, partition: state.partition, records, nextOffset, lag: Math.max(0, state.end - nextOffset) });
    }
    if (taken.length > 0) this.#changed.notify();
    return taken;
  }

  #drop(state: PartitionState): void {
    this.#buffered -= state.records.length - state.start;
    state.records = [];
    state.start = 0;
    state.answered = false;
  }

  async #fetchLoop(): Promise<void> {
    while (!this.#closed && this.#failure === undefined) {
      try {
        if (this.#runAhead() >= this.#options.maxBufferedRecords) {
          await this.#changed.wait(MAX_WAIT_MS);
          continue;
        }
        await this.#resolvePositions();
        const byLeader = await this.#fetchableByLeader();
        let issued = 0;
        for (const [nodeId, states] of byLeader) {
          if (this.#inFlightBrokers.has(nodeId)) continue;
          issued++;
          void this.#fetchFrom(nodeId, states);
        }
        if (issued === 0) await this.#changed.wait(MAX_WAIT_MS);
      } catch (error) {
        await this.#failed(error, 'Fetching');
      }
    }
  }

  /** 'earliest' / 'latest' positions become offsets (ListOffsets with the consumer's isolation). */
  async #resolvePositions(): Promise<void> {
    for (const which of ['earliest', 'latest'] as const) {
      const pending = [...this.#partitions.values()].filter((s) => s.position === which && !s.inFlight);
      if (pending.length === 0) continue;
      const versions = new Map(pending.map((s) => [s, s.version]));
      const offsets = await listOffsets(this.#cluster, pending, which, this.#options.isolation, `Looking up the ${which} offsets for ${this.#options.name}`);
      for (const { topic, partition, offset } of offsets) {
        const state = this.#partitions.get(keyOf({ topic, partition }));
        if (state === undefined || state.version !== versions.get(state) || state.position !== which) continue;
        state.position = offset;
      }
    }
  }

  /** The partitions a fetch can ask for now, by their leader. */
  async #fetchableByLeader(): Promise<Map<number, PartitionState[]>> {
    // A partition with records still buffered is fetched too, past them: a fetch that asked only for partitions at
    // their end would wait the broker's MAX_WAIT_MS while another partition, drained meanwhile, has more.
    const ready = [...this.#partitions.values()].filter((s) => typeof s.position === 'number' && !s.paused && !s.inFlight && s.failure === undefined);
    const byLeader = new Map<number, PartitionState[]>();
    if (ready.length === 0) return byLeader;
    let metadata = this.#cluster.getMetadata();
    const unknown = (s: PartitionState) => (metadata?.topics.get(s.topic)?.partitions.get(s.partition)?.leaderId ?? -1) < 0;
    if (this.#metadataStale || metadata === null || ready.some(unknown)) {
      metadata = await this.#cluster.refreshMetadata([...new Set(ready.map((s) => s.topic))]);
      this.#metadataStale = false;
    }
    const missing: PartitionState[] = [];
    for (const state of ready) {
      const leader = metadata.topics.get(state.topic)?.partitions.get(state.partition)?.leaderId ?? -1;
      if (leader < 0) {
        missing.push(state);
        continue;
      }
      let states = byLeader.get(leader);
      if (states === undefined) byLeader.set(leader, (states = []));
      states.push(state);
    }
    if (missing.length === 0) {
      this.#missingSince = undefined;
    } else {
      // Deleted, not yet known, or between leaders: look again after a backoff; fail after failureTimeoutMs.
      this.#metadataStale = true;
      this.#missingSince ??= Date.now();
      if (Date.now() - this.#missingSince > this.#options.failureTimeoutMs) {
        const names = missing.map((s) => `${s.topic}-${s.partition}`).join(', ');
        this.#failure ??= new ClientError(
          `Fetching for ${this.#options.name} failed: ${names} had no leader in the cluster's metadata for ${Math.round((Date.now() - this.#missingSince) / 1000)} s (does the topic exist?)`,
          'unknown-topic',
          { partitions: missing.map((s) => ({ topic: s.topic, partition: s.partition })) },
        );
        this.#arrived.notify();
      } else if (byLeader.size === 0) {
        await this.#changed.wait(this.#backoff);
        this.#backoff = Math.min(this.#backoff * 2, MAX_BACKOFF_MS);
      }
    }
    return byLeader;
  }

  async #fetchFrom(nodeId: number, states: readonly PartitionState[]): Promise<void> {
    this.#inFlightBrokers.add(nodeId);
    // The broker fills an answer up to maxBytes in the order asked (always at least one batch): a fetch asks for
    // about what the buffer has room for, so that fetching runs ahead of polls by maxBufferedRecords plus about one
    // batch, and the partitions take turns at the front.
    const room = Math.max(1, this.#options.maxBufferedRecords - this.#runAhead());
    const maxBytes = this.#bytesPerRecord === 0 ? 1 : Math.min(MAX_BYTES, Math.max(1, Math.round(room * this.#bytesPerRecord)));
    const first = this.#fetchRotation++ % states.length;
    const ordered = [...states.slice(first), ...states.slice(0, first)];
    const sent = ordered.map((state) => ({ state, version: state.version, offset: state.position as number }));
    for (const state of states) state.inFlight = true;
    try {
      const broker = await this.#cluster.getBroker(nodeId);
      const byTopic = new Map<string, typeof sent>();
      for (const entry of sent) {
        let ofTopic = byTopic.get(entry.state.topic);
        if (ofTopic === undefined) byTopic.set(entry.state.topic, (ofTopic = []));
        ofTopic.push(entry);
      }
      const response = await broker.fetch({
        replicaId: -1,
        maxWaitMs: MAX_WAIT_MS,
        minBytes: 1,
        maxBytes,
        isolationLevel: this.#options.isolation === 'read_committed' ? 1 : 0,
        topics: [...byTopic].map(([topic, entries]) => ({
          topic,
          partitions: entries.map(({ state, offset }) => ({
            partitionIndex: state.partition,
            currentLeaderEpoch: -1,
            fetchOffset: BigInt(offset),
            lastFetchedEpoch: -1,
            logStartOffset: -1n,
            partitionMaxBytes: MAX_BYTES_PER_PARTITION,
          })),
        })),
      });
      if (response.errorCode !== ErrorCode.None) throw codeError(response.errorCode, `Fetching from broker ${nodeId}`);
      await this.#accept(response, new Map(sent.map((entry) => [keyOf(entry.state), entry])));
      this.#failingSince = undefined;
      this.#backoff = FIRST_BACKOFF_MS;
    } catch (error) {
      this.#metadataStale = true;
      await this.#failed(error, `Fetching from broker ${nodeId}`);
    } finally {
      for (const state of states) state.inFlight = false;
      this.#inFlightBrokers.delete(nodeId);
      this.#changed.notify();
      this.#arrived.notify();
    }
  }

  async #accept(response: responses.FetchResponse, sent: ReadonlyMap<string, { state: PartitionState; version: number; offset: number }>): Promise<void> {
    const readCommitted = this.#options.isolation === 'read_committed';
    for (const topic of response.topics) {
      for (const answer of topic.partitions) {
        const key = keyOf({ topic: topic.topic, partition: answer.partitionIndex });
        const entry = sent.get(key);
        // Unassigned or sought while the fetch was out: the answer is for a position no longer wanted.
        if (entry === undefined || this.#partitions.get(key) !== entry.state || entry.state.version !== entry.version) continue;
        const { state, offset } = entry;
        if (answer.errorCode !== ErrorCode.None) {
          this.#partitionError(state, offset, answer.errorCode);
          continue;
        }
        const end = Number(readCommitted ? answer.lastStableOffset : answer.highWatermark);
        let records: RawRecord[] = [];
        let nextOffset = offset;
        if (answer.recordsData !== null && answer.recordsData.length > 0) {
          let fetched: RawRecord[];
          let next: number | undefined;
          try {
            const decoded = decodeFetchedRecords(answer.recordsData, offset, readCommitted, answer.abortedTransactions);
            ({ records: fetched, nextOffset: next } = decoded instanceof Promise ? await decoded : decoded);
          } catch (error) {
            if (!(error instanceof CorruptBatchError)) throw error;
            // As Java's consumer (check.crcs): the partition cannot be read past it; the consumer stops, naming it.
            this.#failure ??= new ClientError(
              `Fetching for ${this.#options.name}: ${state.topic}-${state.partition} at offset ${error.offset} is corrupt (${error.message}); ` +
                `its bytes on the broker are not what was written: repair or delete the partition's data, or skip past it`,
              'fatal',
              { partitions: [{ topic: state.topic, partition: state.partition }], cause: error },
            );
            this.#arrived.notify();
            return;
          }
          if (this.#partitions.get(key) !== state || state.version !== entry.version) continue;
          records = fetched;
          if (next !== undefined && next > nextOffset) nextOffset = next;
          if (fetched.length > 0) {
            const size = answer.recordsData.length / fetched.length;
            this.#bytesPerRecord = this.#bytesPerRecord === 0 ? size : this.#bytesPerRecord + SIZE_WEIGHT * (size - this.#bytesPerRecord);
          }
        }
        if (records.length > 0) {
          if (state.start === state.records.length) {
            state.records = records;
            state.start = 0;
          } else {
            for (const record of records) state.records.push(record);
          }
          this.#buffered += records.length;
        }
        state.position = nextOffset;
        state.end = end;
        state.answered = true;
      }
    }
  }

  #partitionError(state: PartitionState, offset: number, code: number): void {
    const tp = { topic: state.topic, partition: state.partition };
    if (code === ErrorCode.OffsetOutOfRange) {
      const policy = this.#options.outOfRange(tp);
      if (policy !== 'report') {
        state.position = policy;
        return;
      }
      state.position = undefined;
      state.failure = new ClientError(
        `Fetching ${state.topic}-${state.partition} at offset ${offset}: the offset is outside the log ` +
          `(retention or deleted records removed it); seek to 'earliest' to read what is left`,
        'offset-out-of-range',
        { partitions: [tp] },
      );
      return;
    }
    if (reasonOfCode(code) === 'fatal') {
      this.#failure = codeError(code, `Fetching ${state.topic}-${state.partition} for ${this.#options.name}`, [tp]);
      return;
    }
    // A leader moved, a topic not yet (or no longer) known: new metadata, then again.
    this.#metadataStale = true;
  }

  /** A failed fetch: retried after a backoff, until fetching has failed for failureTimeoutMs; then polls reject. */
  async #failed(error: unknown, what: string): Promise<void> {
    if (this.#closed) return;
    if (reasonOf(error) === 'fatal') {
      this.#failure ??= toClientError(error, `${what} for ${this.#options.name}`);
      this.#arrived.notify();
      return;
    }
    this.#failingSince ??= Date.now();
    if (Date.now() - this.#failingSince > this.#options.failureTimeoutMs) {
      this.#failure ??= toClientError(error, `${what} for ${this.#options.name} for ${Math.round((Date.now() - this.#failingSince) / 1000)} s`);
      this.#arrived.notify();
      return;
    }
    await this.#changed.wait(this.#backoff);
    this.#backoff = Math.min(this.#backoff * 2, MAX_BACKOFF_MS);
  }
}

export function keyOf(tp: TopicPartition): string {
  return `${tp.topic}\u0000${tp.partition}`;
}
