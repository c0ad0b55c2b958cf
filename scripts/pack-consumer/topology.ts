// The topology the installed-packages test runs in a project outside the repository, as a user writes one:
// `npx streams run topology.ts`. Words (the values of `words`) counted per word, written to `word-counts`.
import { Consumed, Grouped, Materialized, Produced, Serdes, type StreamsBuilder } from '@ts-streams/dsl';
import type { TopicView } from '@ts-streams/runtime';

export default function wordCount(builder: StreamsBuilder): void {
  builder
    .stream('words', Consumed.with(Serdes.String(), Serdes.String()))
    .groupBy((_key, word) => word.toLowerCase(), Grouped.with(Serdes.String(), Serdes.String()))
    .count(Materialized.as('word-counts'))
    .toStream()
    .to('word-counts', Produced.with(Serdes.String(), Serdes.Long()));
}

export const config = { commitIntervalMs: 200 };

/** What `streams run` prints (off a terminal): the counts as they change. */
export const print = 'word-counts';

/** What it shows on a terminal instead: each word's latest count. */
const latest = new Map<string, number>();
export const view: TopicView<string, number> = {
  topic: 'word-counts',
  add: ({ key, value }) => void (key !== null && value !== null && latest.set(key, value)),
  lines: () => [...latest].map(([word, count]) => `${word.padEnd(12)} ${count}`),
};
