import type { ProcessorContext, KeyValueStore, Headers } from '../internal-types.ts';
import type { ValueAndTimestamp } from '../state/value-and-timestamp.ts';
import { TableForwarder } from '../state/table-forwarder.ts';
import { storeHooks } from '../state/task-stores.ts';
import { change } from '../task/change.ts';

/**
 * Where a table step's results go, as Kafka Streams' KTableSource, KTableFilter, KTableMapValues and
 * KTableKTableJoinMerger all end: when the step is materialized, into its store and on through the store's
 * TableForwarder (at once, or when the record cache flushes the key), old values coming from the store; when it is
 * not, downstream at once as { newValue, oldValue }. One per processor instance, built with it: a record costs
 * nothing here beyond the record forwarded.
 */
export class TableOutput {
  private kept = false;
  private ctx!: ProcessorContext<any, any>;
  private store!: KeyValueStore<unknown, ValueAndTimestamp<unknown>>;
  private forwarder!: TableForwarder<unknown, unknown>;

  constructor(
    /** The step's store; undefined when it keeps none. */
    private readonly storeName: string | undefined,
    private readonly sendOldValues: boolean,
  ) {}

  /** Whether the step keeps its results in a store (known from init on). */
  get materialized(): boolean {
    return this.kept;
  }

  init(ctx: ProcessorContext<any, any>): void {
    this.ctx = ctx;
    if (this.storeName === undefined) return;
    this.kept = true;
    this.store = ctx.getStateStore(this.storeName);
    this.forwarder = new TableForwarder(ctx, this.storeName, storeHooks(ctx), this.sendOldValues);
  }

  /** The value the step's store holds for `key`, null when none. Materialized steps only. */
  stored(key: unknown): unknown {
    return this.store.get(key)?.value ?? null;
  }

  /** Sends the change of `key` from `oldValue` to `newValue` on: stored and forwarded, or forwarded. */
  emit(key: unknown, newValue: unknown, oldValue: unknown, timestamp: number, headers: Headers): void {
    if (this.kept) {
      this.store.put(key, newValue === null ? null : { value: newValue, timestamp });
      this.forwarder.maybeForward(key, newValue, oldValue, timestamp, headers);
    } else {
      this.ctx.forward({ key, value: change(newValue, oldValue), timestamp, headers });
    }
  }
}
