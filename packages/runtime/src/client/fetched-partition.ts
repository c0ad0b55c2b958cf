import type { RawRecord } from '../io/raw-record.ts';

/**
 * What one poll brought for one topic-partition: a batch, never a record at a time. The runtime hands `records`
 * to StreamTask#addRecords (or restoreBatch) as they are, and `lag` to StreamTask#updateLag.
 */
export interface FetchedPartition {
  readonly topic: string;
  readonly partition: number;
  /**
   * In offset order, each with its `offset` set (gaps are normal: compaction, transaction markers). Keys and values
   * are the bytes on the wire (Uint8Array; a Node Buffer is one); headers decoded to the DSL's Headers. May be
   * empty: see `lag`.
   */
  readonly records: readonly RawRecord[];
  /**
   * The offset the next fetch of this partition starts at: the last record's offset + 1, or the position the fetch
   * started at when it returned nothing. Past a compaction gap or a transaction marker it may be more than the last
   * record's offset + 1, so restoration reads its "up to" offset here, not from the records.
   */
  readonly nextOffset: number;
  /**
   * Records on the broker past `nextOffset` as of the fetch that returned this batch: the high watermark (under
   * read_committed, the last stable offset) minus `nextOffset`. **0 means caught up**: max.task.idle.ms
   * (StreamTask#updateLag) and restoration's end both rely on it, so an adapter reports a partition whose fetch came
   * back empty as an entry with no records and lag 0 — not by leaving it out. undefined = not known (no fetch
   * response for the partition yet): the task then waits as for a positive lag.
   */
  readonly lag: number | undefined;
}
