import type { Headers } from '@ts-streams/dsl';

/** A record of the viewed topic, its key and value decoded with the serdes the topology writes the topic with. */
export interface ViewRecord<K, V> {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  /** Epoch ms. */
  readonly timestamp: number;
  readonly key: K | null;
  /** null for a tombstone (a deleted key of a table's changelog). */
  readonly value: V | null;
  readonly headers: Headers;
}

/**
 * A live view of a topic a topology writes: on a terminal, `streams run` reads the topic beside the application (from
 * now on, or from its beginning with --from-beginning), hands each record to `add` as it is read, and shows what
 * `lines` returns above its status line, redrawn in place as records arrive — a small table of the latest results,
 * say. A topology file exports one as `view`:
 *
 *     export const view: TopicView<string, PageStats> = {
 *       topic: 'page-view-stats',
 *       add: ({ value }) => { if (value !== null) latest.set(value.pageUrl, value.views); },
 *       lines: () => [...latest].map(([page, views]) => `${page}  ${views}`),
 *     };
 *
 * Off a terminal there is nothing to redraw: the view is not used (`print` and --print write JSON lines instead). The
 * view keeps what it needs of the records (a table has a bounded size; the topic does not); lines are plain text
 * (no colours), each cut to the terminal's width, the panel to its height.
 */
export interface TopicView<K = unknown, V = unknown> {
  /** The topic shown: one the topology writes to. */
  readonly topic: string;
  /** Takes in one record, in the order read (per partition, in offset order). */
  add(record: ViewRecord<K, V>): void;
  /** The lines to show now; asked after records arrive, a few times a second at most. */
  lines(): readonly string[];
}
