import { setTimeout as delay } from 'node:timers/promises';
import type { TopicPartition } from '../../io/topic-partition.ts';
import type { FetchedPartition } from '../../client/fetched-partition.ts';
import type { AssignedConsumer } from '../../client/assigned-consumer.ts';
import { ClientError } from '../../errors/client-error.ts';
import type { LogConnection } from './log-connection.ts';
import { Op, decodeFetched, encodeFetch, type FetchPosition } from './log-protocol.ts';

/** One partition read: where it is (an offset, or the log start / end until a fetch resolves it), whether paused. */
interface Slot {
  readonly tp: TopicPartition;
  position: FetchPosition | undefined;
  paused: boolean;
}

/**
 * The consumer without a group (AssignedConsumer) on an embedded log served by another process (LogServer): what
 * `tail` and `run --print` read with. Partitions, positions and pauses are kept here; each poll is one FETCH carrying
 * the positions of the unpaused partitions, answered by the serving process as its own consumer would (waiting up to
 * the poll's timeout for records, a caught-up partition at once with lag 0; a position outside the log a ClientError
 * 'offset-out-of-range' naming it). A seek to 'earliest' / 'latest' is resolved there, at the next poll. Nothing is
 * fetched ahead: a poll reads what it returns.
 */
export class LogSocketConsumer implements AssignedConsumer {
  private readonly slots = new Map<string, Slot>();
  private rotation = 0;
  private closed = false;

  constructor(private readonly connection: LogConnection) {}

  async connect(): Promise<void> {
    this.check();
  }

  assign(partitions: readonly TopicPartition[]): void {
    this.check();
    const old = new Map(this.slots);
    this.slots.clear();
    for (const tp of partitions) {
      const key = keyOf(tp);
      this.slots.set(key, old.get(key) ?? { tp: { topic: tp.topic, partition: tp.partition }, position: undefined, paused: false });
    }
  }

  seek(partition: TopicPartition, offset: number | 'earliest' | 'latest'): void {
    this.check();
    const slot = this.slots.get(keyOf(partition));
    if (slot === undefined) throw new ClientError(`Cannot seek ${partition.topic}-${partition.partition}: it is not assigned to this consumer.`, 'fatal');
    slot.position = offset;
  }

  position(partition: TopicPartition): number | undefined {
    const at = this.slots.get(keyOf(partition))?.position;
    return typeof at === 'number' ? at : undefined;
  }

  async poll(options: { readonly maxRecords: number; readonly timeoutMs: number }): Promise<readonly FetchedPartition[]> {
    this.check();
    const slots = [...this.slots.values()].filter((s) => !s.paused && s.position !== undefined);
    if (slots.length === 0) {
      await delay(Math.max(0, options.timeoutMs));
      return [];
    }
    // Each poll starts one partition further, so that the server's fair share of maxRecords rotates too.
    const start = this.rotation++ % slots.length;
    const ordered = [...slots.slice(start), ...slots.slice(0, start)];
    const asked = ordered.map((s) => ({ slot: s, position: s.position! }));
    const waitMs = Math.max(0, Math.round(options.timeoutMs));
    const answer = await this.connection.request(
      Op.FETCH,
      (w) =>
        encodeFetch(w, {
          maxRecords: options.maxRecords,
          timeoutMs: waitMs,
          partitions: asked.map(({ slot, position }) => ({ topic: slot.tp.topic, partition: slot.tp.partition, position })),
        }),
      { what: 'a fetch', waitMs },
    );
    const fetched = decodeFetched(answer);
    if (this.closed) return [];
    const sent = new Map(asked.map((a) => [keyOf(a.slot.tp), a]));
    // A partition unassigned, paused or seeked while the fetch was out: what came of it is dropped (read again later).
    return fetched.filter((f) => {
      const key = keyOf(f);
      const a = sent.get(key);
      const slot = this.slots.get(key);
      if (a === undefined || slot !== a.slot || slot.paused || slot.position !== a.position) return false;
      slot.position = f.nextOffset;
      return true;
    });
  }

  pause(partitions: readonly TopicPartition[]): void {
    this.setPaused(partitions, true);
  }

  resume(partitions: readonly TopicPartition[]): void {
    this.setPaused(partitions, false);
  }

  private setPaused(partitions: readonly TopicPartition[], paused: boolean): void {
    for (const tp of partitions) {
      const slot = this.slots.get(keyOf(tp));
      if (slot !== undefined) slot.paused = paused;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.slots.clear();
  }

  private check(): void {
    if (this.closed) throw new ClientError('This consumer of the embedded log (through its socket) is closed.', 'fatal');
  }
}

function keyOf(tp: TopicPartition): string {
  return `${tp.topic}\u0000${tp.partition}`;
}
