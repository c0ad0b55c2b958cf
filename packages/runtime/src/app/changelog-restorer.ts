import type { AssignedConsumer } from '../client/assigned-consumer.ts';
import type { KafkaAdmin } from '../client/kafka-admin.ts';
import type { TopicPartition } from '../io/topic-partition.ts';
import type { StreamTask } from '../task/stream-task.ts';
import { restoreInSlices } from '../state/restore-in-slices.ts';
import { ClientError } from '../errors/client-error.ts';
import { withRetries } from './with-retries.ts';

/** One store partition to bring up to date: where its local data ends and where its changelog ends. */
export interface RestorePartition extends TopicPartition {
  readonly task: StreamTask;
  readonly store: string;
  /** The first offset not in the local data (the checkpoint's, 0 without one). */
  readonly from: number;
  /** Whether the store is checkpointed (persistent): then restoration moves its checkpoint offset. */
  readonly tracked: boolean;
}

/** What one restoration did, per store partition: for the log and metrics(). */
export interface RestoredPartition extends TopicPartition {
  readonly task: string;
  readonly store: string;
  readonly records: number;
  readonly ms: number;
}

/** What one restoration did: the store partitions it brought up to date, and those it found corrupted. */
export interface RestoreOutcome {
  readonly restored: RestoredPartition[];
  /**
   * Store partitions whose changelog no longer has the offset restoration had to start from: the changelog was
   * truncated (retention, deleted records) past the checkpoint, or it ends before the checkpoint (deleted and
   * recreated). The caller wipes their stores and restores them again from the start (Kafka Streams'
   * TaskCorruptedException); nothing of them was applied after the problem showed.
   */
  readonly corrupted: RestorePartition[];
}

/**
 * Brings stores up to date from their changelogs before their tasks process (Kafka Streams' StoreChangelogReader,
 * active tasks only): the end offset of each changelog partition is read once (listOffsets), then the restore
 * consumer reads from each store's offset (a store without one: from the log start) to that end, applying what it
 * polls through StreamTask#restoreBatch in slices that yield to the event loop. Progress per store goes to `log`
 * (records restored / total, time).
 *
 * A checkpointed offset the changelog does not have is no place to resume from: past the end (the changelog was
 * deleted and recreated, or lost records), or before the log start (the fetch is out of range: retention or
 * deleted records removed it). Replaying what is left over the local data would keep values the changelog no
 * longer vouches for, so such a store partition is returned as corrupted, with a log line, for the caller to wipe
 * and restore from the start; the others are restored meanwhile.
 */
export async function restoreChangelogs(
  admin: KafkaAdmin,
  consumer: AssignedConsumer,
  partitions: readonly RestorePartition[],
  options: {
    readonly maxPollRecords: number;
    readonly pollMs: number;
    readonly log: (line: string) => void;
    readonly stopped: () => boolean;
    /** How long listing the end offsets is retried while no broker answers or a new changelog's metadata propagates. */
    readonly retryMs: number;
  },
): Promise<RestoreOutcome> {
  const done: RestoredPartition[] = [];
  const corrupted: RestorePartition[] = [];
  if (partitions.length === 0) return { restored: done, corrupted };
  const ends = await withRetries(() => admin.listOffsets(partitions, 'latest'), {
    what: `list the end offsets of ${partitions.length} changelog partitions to restore from`, deadlineMs: options.retryMs, log: options.log,
  });
  const todo = new Map<string, { p: RestorePartition; end: number; position: number; records: number; started: number }>();
  partitions.forEach((p, i) => {
    const end = ends[i]!.offset;
    if (p.from > end) {
      options.log(
        `Changelog ${p.topic}-${p.partition} ends at offset ${end}, before offset ${p.from} that store '${p.store}' of task ${p.task.id} is checkpointed at ` +
          `(the changelog was deleted and recreated, or lost records): wiping the store and restoring it from the start of the changelog.`,
      );
      corrupted.push(p);
      return;
    }
    if (p.from === end) {
      done.push({ topic: p.topic, partition: p.partition, task: p.task.id, store: p.store, records: 0, ms: 0 });
      return;
    }
    todo.set(`${p.topic}\u0000${p.partition}`, { p, end, position: p.from, records: 0, started: performance.now() });
  });
  if (todo.size === 0) return { restored: done, corrupted };
  consumer.assign([...todo.values()].map(({ p }) => ({ topic: p.topic, partition: p.partition })));
  // From 0: from wherever the log starts now (retention or deleted records may have moved it past 0).
  for (const { p } of todo.values()) consumer.seek(p, p.from === 0 ? 'earliest' : p.from);
  for (const t of todo.values()) {
    const range = t.p.from === 0 ? `from its start to offset ${t.end}` : `offsets ${t.p.from} to ${t.end}`;
    options.log(`Restoring store '${t.p.store}' of task ${t.p.task.id} from ${t.p.topic}-${t.p.partition}: ${range} (${t.end - t.p.from} records at most).`);
  }
  while (todo.size > 0 && !options.stopped()) {
    let fetched;
    try {
      fetched = await consumer.poll({ maxRecords: options.maxPollRecords, timeoutMs: options.pollMs });
    } catch (e) {
      if (e instanceof ClientError && e.reason === 'offset-out-of-range') {
        const gone: TopicPartition[] = [];
        for (const tp of e.partitions) {
          const key = `${tp.topic}\u0000${tp.partition}`;
          const t = todo.get(key);
          if (t === undefined) continue;
          options.log(
            `Changelog ${tp.topic}-${tp.partition} no longer has offset ${t.position} that store '${t.p.store}' of task ${t.p.task.id} restores from ` +
              `(retention or deleted records removed it): wiping the store and restoring it from the start of the changelog.`,
          );
          todo.delete(key);
          corrupted.push(t.p);
          gone.push(tp);
        }
        consumer.pause(gone);
        continue;
      }
      throw e;
    }
    for (const f of fetched) {
      const key = `${f.topic}\u0000${f.partition}`;
      const t = todo.get(key);
      if (t === undefined) continue;
      // Records past the end read at the start belong to processing (the task writes them itself from now on).
      let n = f.records.length;
      while (n > 0 && f.records[n - 1]!.offset! >= t.end) n--;
      const records = n === f.records.length ? f.records : f.records.slice(0, n);
      const next = Math.min(f.nextOffset, t.end);
      // Changelog records always have a key (a store's): RawRecord's nullable key is the wire type.
      // An in-memory store has no checkpoint to move (it restores from the start every time).
      await restoreInSlices(t.p.task, t.p.store, f.topic, f.partition, records as never, t.p.tracked ? next : undefined);
      t.records += records.length;
      t.position = next;
      if (t.position >= t.end || f.lag === 0) {
        todo.delete(key);
        const ms = Math.round(performance.now() - t.started);
        options.log(`Restored store '${t.p.store}' of task ${t.p.task.id} from ${f.topic}-${f.partition}: ${t.records} / ${t.end - t.p.from} records in ${ms} ms.`);
        done.push({ topic: f.topic, partition: f.partition, task: t.p.task.id, store: t.p.store, records: t.records, ms });
      }
    }
    consumer.pause(fetched.filter((f) => !todo.has(`${f.topic}\u0000${f.partition}`)));
  }
  consumer.assign([]);
  return { restored: done, corrupted };
}
