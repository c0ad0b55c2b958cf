import { checkpointKey, type CheckpointFile } from '@ts-streams/state';
import type { InnerStore, OpenedStores } from './persistent-stores.ts';
import type { TopicPartitionOffset } from '../io/topic-partition-offset.ts';

/** Where the offsets of a task's restore partitions come from at a checkpoint. */
export interface CheckpointSources {
  /** The sink's last acknowledged offset of a topic-partition (RecordSink#acknowledgedOffset). */
  acknowledged(topic: string, partition: number): number | undefined;
  /** The next offset to read of one of the task's input partitions it processed from, else undefined. */
  processed(topic: string, partition: number): number | undefined;
}

/** One restore partition of a store: its checkpoint key and the offset its data is known up to (exclusive). */
interface Tracked {
  readonly topic: string;
  readonly partition: number;
  readonly key: string;
  offset: number;
}

/**
 * The checkpointing half of Kafka Streams' ProcessorStateManager for one task's persistent stores: for each
 * topic-partition a store restores from, the offset its local data is known to be up to date with (exclusive, as
 * CheckpointFile stores it), and the writing of `<stateDir>/<taskId>/.checkpoint`.
 *
 * Offsets start where openPersistentStores left them (the checkpoint's, or 0), move as restoration applies records
 * (restored()) and as the task writes (update(): a changelog's last acknowledged offset + 1; a partition the task
 * reads itself — a global store's source topic — is at the next offset to read). A checkpoint is written only after
 * the stores' data is durable (makeDurable: the WAL fsynced), so it never vouches for data a crash could lose.
 */
export class TaskStateManager {
  private readonly tracked: Tracked[] = [];
  private readonly byKey = new Map<string, Tracked>();
  /** What the file holds (serialized), to skip writing an unchanged checkpoint. */
  private written: string | undefined;

  constructor(
    readonly checkpointFile: CheckpointFile,
    private readonly inner: ReadonlyMap<string, InnerStore>,
    restoreOffsets: ReadonlyMap<string, readonly TopicPartitionOffset[]>,
  ) {
    for (const offsets of restoreOffsets.values()) {
      for (const { topic, partition, offset } of offsets) {
        const key = checkpointKey(topic, partition);
        if (this.byKey.has(key)) continue;
        const t: Tracked = { topic, partition, key, offset };
        this.tracked.push(t);
        this.byKey.set(key, t);
      }
    }
  }

  /** The state manager of stores openPersistentStores opened. */
  static of(opened: OpenedStores): TaskStateManager {
    return new TaskStateManager(opened.checkpoint, opened.inner, opened.restoreOffsets);
  }

  /** The offset restoration resumes from on a topic-partition (what the next checkpoint would say). */
  offset(topic: string, partition: number): number | undefined {
    return this.byKey.get(checkpointKey(topic, partition))?.offset;
  }

  /** Restoration applied the records of a topic-partition before `nextOffset` (the restore consumer's position). */
  restored(topic: string, partition: number, nextOffset: number): void {
    const t = this.byKey.get(checkpointKey(topic, partition));
    if (t === undefined) throw new Error(`No store of this task restores from ${topic}-${partition}.`);
    if (nextOffset > t.offset) t.offset = nextOffset;
  }

  /** Moves each partition's offset to what the task wrote or processed (see CheckpointSources). Returns true if any moved. */
  update(sources: CheckpointSources): boolean {
    let moved = false;
    for (const t of this.tracked) {
      const processed = sources.processed(t.topic, t.partition);
      const acked = sources.acknowledged(t.topic, t.partition);
      const next = processed ?? (acked === undefined ? undefined : acked + 1);
      if (next !== undefined && next > t.offset) {
        t.offset = next;
        moved = true;
      }
    }
    return moved;
  }

  /**
   * Makes the open stores' data durable, then writes the checkpoint (atomically) — unless it would say what the file
   * already says and `force` is false. Closed stores were made durable by their close().
   */
  checkpoint(force = false): void {
    const offsets = new Map<string, number>();
    for (const t of this.tracked) offsets.set(t.key, t.offset);
    const text = JSON.stringify([...offsets]);
    if (!force && text === this.written) return;
    for (const store of this.inner.values()) {
      const s = store as InnerStore & { makeDurable?(): void };
      if (s.isOpen() && typeof s.makeDurable === 'function') s.makeDurable();
    }
    this.checkpointFile.write(offsets);
    this.written = text;
  }
}
