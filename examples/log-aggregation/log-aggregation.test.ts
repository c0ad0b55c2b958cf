import test from 'ava';
import { Serdes } from '@ts-streams/dsl';
import { TopologyTestDriver } from '@ts-streams/runtime/testing';
import { logAggregationTopology, type LevelCount, type LogLine } from './topology.ts';
import { levelOf } from './log-level.ts';

const T0 = Date.UTC(2024, 0, 15, 10, 30); // 10:30:00
const MIN = 60_000;
const S = 1_000;
const nginx = (host: string, status: number, at: number): LogLine => ({
  host, source: '/var/log/nginx/access.log', timestamp: new Date(at).toISOString(),
  message: `192.168.1.7 - - [15/Jan/2024:10:30:00 +0000] "GET /cart HTTP/1.1" ${status} 512 "-" "Mozilla/5.0"`,
});
const app = (level: string, at: number): LogLine => ({
  host: 'app-server-1', source: '/var/log/app/app.log', timestamp: new Date(at).toISOString(),
  message: `${new Date(at).toISOString()} ${level} [main] OrderService - something happened`,
});
const count = (host: string, level: string, lines: number, windowStart: number): { key: string; value: LevelCount } =>
  ({ key: host, value: { host, level, lines, windowStart, windowEnd: windowStart + MIN } as LevelCount });

test('counts lines per host and level per minute of the time each was written, keyed by host', async (t) => {
  const driver = await TopologyTestDriver.create(logAggregationTopology(), { cacheMaxBytes: 0 });
  t.teardown(() => driver.close());
  const logs = driver.createInputTopic('logs', Serdes.String(), Serdes.JSON<LogLine>());
  const counts = driver.createOutputTopic('log-level-counts', Serdes.String(), Serdes.JSON<LevelCount>());
  const send = (line: LogLine, receivedAt: number) => logs.pipeInput(line.host, line, receivedAt);

  send(nginx('web-server-1', 200, T0 + 5 * S), T0 + 5 * S);
  send(nginx('web-server-1', 503, T0 + 10 * S), T0 + 10 * S);
  send(nginx('web-server-1', 404, T0 + 20 * S), T0 + 20 * S);
  send(nginx('web-server-1', 502, T0 + 25 * S), T0 + 25 * S);
  send(app('ERROR', T0 + 30 * S), T0 + 30 * S);
  send(app('WARN', T0 + 40 * S), T0 + 40 * S);
  send({ host: 'db-server-1', source: '/var/log/postgresql/postgresql.log', timestamp: new Date(T0 + 50 * S).toISOString(),
    message: '2024-01-15 10:30:50.123 UTC [2051] ERROR:  deadlock detected' }, T0 + 50 * S);
  send(nginx('web-server-2', 200, T0 + MIN + 1 * S), T0 + MIN + 1 * S); // the next minute
  // Written at 10:30:58, received at 10:31:05: counted in 10:30, whose window is open until 10:31:10.
  send(nginx('web-server-1', 200, T0 + 58 * S), T0 + MIN + 5 * S);
  // Written at 10:29:30: its minute closed at 10:30:10 (end + 10 s grace), before stream time 10:31:01. Dropped.
  send(nginx('web-server-1', 200, T0 - 30 * S), T0 + MIN + 6 * S);
  // No readable time of its own: the record's timestamp (10:31:20) counts.
  send({ ...app('INFO', 0), timestamp: 'yesterday' }, T0 + MIN + 20 * S);

  t.deepEqual(counts.readKeyValuesToList(), [
    count('web-server-1', 'INFO', 1, T0),
    count('web-server-1', 'ERROR', 1, T0),
    count('web-server-1', 'WARN', 1, T0),
    count('web-server-1', 'ERROR', 2, T0),
    count('app-server-1', 'ERROR', 1, T0),
    count('app-server-1', 'WARN', 1, T0),
    count('db-server-1', 'ERROR', 1, T0),
    count('web-server-2', 'INFO', 1, T0 + MIN),
    count('web-server-1', 'INFO', 2, T0),
    count('app-server-1', 'INFO', 1, T0 + MIN),
  ]);
  t.is([...driver.droppedRecords().values()].reduce((a, b) => a + b, 0), 1);
});

test('the level of a line: its level word, else its HTTP status, else INFO', (t) => {
  t.is(levelOf('2024-01-15T10:30:00.000Z ERROR [main] OrderService - boom'), 'ERROR');
  t.is(levelOf('2024-01-15 10:30:50.123 UTC [2051] FATAL:  the database system is shutting down'), 'ERROR');
  t.is(levelOf('2024-01-15 10:30:50.123 UTC [2051] WARNING:  there is no transaction in progress'), 'WARN');
  t.is(levelOf('2024-01-15 10:30:50.123 UTC [2051] LOG:  checkpoint complete'), 'INFO');
  t.is(levelOf('2024-01-15T10:30:00.000Z DEBUG [main] CacheService - hit'), 'DEBUG');
  t.is(levelOf('10.0.0.1 - - [15/Jan/2024:10:30:00 +0000] "GET / HTTP/1.1" 504 0 "-" "curl/8.5"'), 'ERROR');
  t.is(levelOf('10.0.0.1 - - [15/Jan/2024:10:30:00 +0000] "GET /x HTTP/1.1" 404 153 "-" "curl/8.5"'), 'WARN');
  t.is(levelOf('10.0.0.1 - - [15/Jan/2024:10:30:00 +0000] "GET / HTTP/1.1" 301 0 "-" "curl/8.5"'), 'INFO');
  t.is(levelOf('kernel: eth0: link up'), 'INFO');
});
