import { StreamsBuilder, Serdes, Consumed, Grouped, Produced, TimeWindows, Materialized, type TimestampExtractor } from '@ts-streams/dsl';
import { levelOf, type Level } from './log-level.ts';

/** A log line as the shippers send it to `logs` (the seed's log entry), keyed by host. */
export interface LogLine {
  readonly message: string;
  /** The file it was read from, e.g. /var/log/nginx/access.log. */
  readonly source: string;
  readonly host: string;
  /** ISO time the line was written. */
  readonly timestamp: string;
}

/** Log lines of one host at one level in one minute. */
export interface LevelCount {
  readonly host: string;
  readonly level: Level;
  readonly lines: number;
  readonly windowStart: number;
  readonly windowEnd: number;
}

/** The grouping key: a host and a level. */
interface HostLevel {
  readonly host: string;
  readonly level: Level;
}

/**
 * Counts by the time a line was written, not when it reached Kafka: a shipper that catches up after a pause still
 * puts its lines in their minute. A line without a readable time keeps its record's timestamp.
 */
const writtenAt: TimestampExtractor = (record) => {
  const line = record.value as Partial<LogLine> | null;
  const time = typeof line?.timestamp === 'string' ? Date.parse(line.timestamp) : Number.NaN;
  return Number.isNaN(time) ? record.timestamp : time;
};

/**
 * Log aggregation (the seed's centralised log collection): lines from many hosts counted per host and level per
 * 1-minute tumbling window (10 s grace for shippers that lag), written to `log-level-counts` keyed by host.
 */
export function logAggregationTopology() {
  const builder = new StreamsBuilder();
  builder
    .stream('logs', Consumed.with(Serdes.String(), Serdes.JSON<LogLine>(), { timestampExtractor: writtenAt }))
    .groupBy((_host, line): HostLevel => ({ host: line.host, level: levelOf(line.message) }), Grouped.with(Serdes.JSON<HostLevel>(), Serdes.JSON<LogLine>(), 'logs-by-host-level'))
    .windowedBy(TimeWindows.ofSizeAndGrace({ minutes: 1 }, { seconds: 10 }))
    .count(Materialized.as('lines-per-host-level'))
    .toStream()
    .map((w, lines) => ({
      key: w.key.host,
      value: { host: w.key.host, level: w.key.level, lines, windowStart: w.window.start, windowEnd: w.window.end } satisfies LevelCount,
    }))
    .to('log-level-counts', Produced.with(Serdes.String(), Serdes.JSON<LevelCount>()));
  return builder.build();
}

export default logAggregationTopology();
