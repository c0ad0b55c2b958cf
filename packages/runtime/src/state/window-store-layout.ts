import type { StoreSpec } from '@ts-streams/dsl';

/**
 * Retention of a window store's bytes store. Kafka Streams' time-ordered window store (spec.timeOrdered:
 * on-window-close aggregations) keeps a window starting exactly at streamTime − retention
 * (AbstractDualSchemaRocksDBSegmentedBytesStore#getActualFrom for TimeFirstWindowKeySchema has no +1); our stores
 * expire starts <= streamTime − retention, so such a store is given 1 ms more. (Its segment interval follows from
 * that retention; window reads are exact, so the segments only change where the data sits.)
 */
export function windowStoreLayout(spec: StoreSpec): { readonly retentionPeriod: number } {
  const retention = spec.retentionMs ?? spec.windowSizeMs ?? 0;
  return { retentionPeriod: spec.timeOrdered ? retention + 1 : retention };
}
