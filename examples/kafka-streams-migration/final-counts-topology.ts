import { StreamsBuilder, Serdes, Consumed, Produced, Materialized, TimeWindows, type Topology } from '@ts-streams/dsl';

/**
 * java/…/FinalCounts.java on ts-streams: records counted per key in tumbling windows of 10 s without grace, each
 * window's count emitted once when it closes (emitStrategy('on-window-close')), written as "key@windowStart=count".
 * The store is 'counts' on both sides: the name under which both keep the aggregation's last emit time in the
 * offsets' metadata, and its changelog's.
 */
export function finalCountsTopology(input: string, output: string): Topology {
  const b = new StreamsBuilder();
  const s = Serdes.String();
  b.stream(input, Consumed.with(s, s))
    .groupByKey()
    .windowedBy(TimeWindows.ofSizeWithNoGrace(10_000))
    .emitStrategy('on-window-close')
    .count(Materialized.as('counts'))
    .toStream()
    .map((w, n) => ({ key: w.key, value: `${w.key}@${w.window.start}=${n}` }))
    .to(output, Produced.with(s, s));
  return b.build();
}
