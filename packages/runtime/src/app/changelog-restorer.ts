import type { AssignedConsumer } from '../client/assigned-consumer.ts';
import type { KafkaAdmin } from '../client/kafka-admin.ts';
import type { TopicPartition } from '../io/topic-partition.ts';
import type { StreamTask } from '../task/stream-task.ts';
import { restoreInSlices } from '../state/restore-in-slices.ts';
import { ClientError } from '../errors/client-error.ts';

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

/**
 * Brings stores up to date from their changelogs before their tasks process (Kafka Streams' StoreChangelogReader,
 * active tasks only): the end offset of each changelog partition is read once (listOffsets), then the restore
 * consumer reads from each store's offset to that end, applying what it polls through StreamTask#restoreBatch in
 * slices that yield to the event loop. Progress per store goes to `log` (records restored / total, time).
 * A partition whose offset the log no longer has (retention, deleted records) is replayed from its earliest offset
 * over the local data — Kafka Streams wipes the store first (its task is "corrupted"); replaying a compacted
 * changelog over it gives the same values for every key the log still has, but keeps keys whose tombstones are gone:
 * wiping is left to do.
 */
export async function restoreChangelogs(
  admin: KafkaAdmin,
  consumer: AssignedConsumer,
  partitions: readonly RestorePartition[],
  options: { readonly maxPollRecords: number; readonly pollMs: number; readonly log: (line: string) => void; readonly stopped: () => boolean },
): Promise<RestoredPartition[]> {
  if (partitions.length === 0) return [];
  const ends = await admin.listOffsets(partitions, 'latest');
  const todo = new Map<string, { p: RestorePartition; end: number; position: number; records: number; started: number }>();
  const done: RestoredPartition[] = [];
  partitions.forEach((p, i) => {
    const end = ends[i]!.offset;
    if (p.from >= end) {
      done.push({ topic: p.topic, partition: p.partition, task: p.task.id, store: p.store, records: 0, ms: 0 });
      return;
    }
    todo.set(`${p.topic}\u0000${p.partition}`, { p, end, position: p.from, records: 0, started: performance.now() });
  });
  if (todo.size === 0) return done;
  consumer.assign([...todo.values()].map(({ p }) => ({ topic: p.topic, partition: p.partition })));
  for (const { p } of todo.values()) consumer.seek(p, p.from);
  for (const t of todo.values()) options.log(`Restoring store '${t.p.store}' of task ${t.p.task.id} from ${t.p.topic}-${t.p.partition}: offsets ${t.p.from} to ${t.end} (${t.end - t.p.from} records at most).`);
  while (todo.size > 0 && !options.stopped()) {
    let fetched;
    try {
      fetched = await consumer.poll({ maxRecords: options.maxPollRecords, timeoutMs: options.pollMs });
    } catch (e) {
      if (e instanceof ClientError && e.reason === 'offset-out-of-range') {
        // The checkpoint is older than the log start: restore what the log still has, from its start.
        for (const tp of e.partitions) {
          const t = todo.get(`${tp.topic}\u0000${tp.partition}`);
          if (t === undefined) continue;
          options.log(`Changelog ${tp.topic}-${tp.partition} no longer has offset ${t.position} (retention or deleted records): restoring store '${t.p.store}' from its earliest offset.`);
          consumer.seek(tp, 'earliest');
        }
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
  return done;
}
