import type { ChangelogRecord } from '@ts-streams/state';
import type { StreamTask } from '../task/stream-task.ts';
import { yieldToEventLoop } from '../task/yield-to-event-loop.ts';
import { DEFAULT_SLICE } from '../operators/process-records.ts';

/**
 * Restores a polled batch of changelog records into a task's store (StreamTask#restoreBatch) in slices of at most
 * `maxRecords`, yielding to the event loop between slices: a RocksDB write batch is a synchronous call, and a
 * restore of a large changelog must not starve timers, I/O and the consumer's heartbeats. The store is noted up to
 * date before `nextOffset` once the last slice is in (undefined: a store with no checkpoint, an in-memory one).
 */
export async function restoreInSlices(
  task: StreamTask,
  storeName: string,
  topic: string,
  partition: number,
  records: readonly ChangelogRecord[],
  nextOffset: number | undefined,
  maxRecords: number = DEFAULT_SLICE.maxRecords,
): Promise<void> {
  if (!(maxRecords >= 1)) throw new RangeError(`restoreInSlices needs maxRecords >= 1, got ${maxRecords}.`);
  if (records.length <= maxRecords) {
    task.restoreBatch(storeName, topic, partition, records, nextOffset);
    return;
  }
  for (let i = 0; i < records.length; i += maxRecords) {
    if (i > 0) await yieldToEventLoop();
    const end = Math.min(records.length, i + maxRecords);
    task.restoreBatch(storeName, topic, partition, records.slice(i, end), end === records.length ? nextOffset : undefined);
  }
}
