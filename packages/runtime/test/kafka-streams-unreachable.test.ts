// KafkaStreams#start when no broker answers at bootstrapServers: it keeps trying, with backoff, for
// defaultApiTimeoutMs, then fails with one error that names the address and the fix. Needs no broker: nothing
// listens on 127.0.0.1:1.
import test from 'ava';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StreamsBuilder, Serdes, Consumed, Produced } from '@ts-streams/dsl';
import { KafkaStreams } from '../src/app/kafka-streams.ts';
import { StreamsError } from '../src/errors/streams-error.ts';

test('no broker at bootstrapServers: start() retries for defaultApiTimeoutMs, then one error naming the address and the fix; state ERROR', async (t) => {
  const b = new StreamsBuilder();
  b.stream('in', Consumed.with(Serdes.String(), Serdes.String())).to('out', Produced.with(Serdes.String(), Serdes.String()));
  const stateDir = mkdtempSync(join(tmpdir(), 'ts-streams-unreachable-'));
  t.teardown(() => rmSync(stateDir, { recursive: true, force: true }));
  const lines: string[] = [];
  const app = new KafkaStreams(b.build(), { applicationId: 'unreachable', bootstrapServers: '127.0.0.1:1', stateDir, defaultApiTimeoutMs: 1_500 }, { log: (l) => lines.push(l) });
  const states: string[] = [];
  app.state$.subscribe((s) => states.push(s));

  const started = Date.now();
  const error = await t.throwsAsync(app.start(), { instanceOf: StreamsError });
  const elapsed = Date.now() - started;
  t.true(elapsed >= 1_400, `it kept trying for defaultApiTimeoutMs (gave up after ${elapsed} ms)`);
  t.true(elapsed < 10_000, `and no longer (gave up after ${elapsed} ms)`);
  t.regex(error!.message, /^KafkaStreams 'unreachable' could not start: no Kafka broker answered at 127\.0\.0\.1:1 within defaultApiTimeoutMs \(1500 ms\) of trying/);
  t.regex(error!.message, /Check that a broker is running there and that bootstrapServers names its listener as host:port; to wait longer for it, raise defaultApiTimeoutMs\./);
  t.regex(error!.message, / of trying \(last: [^)]+\)\. /, 'the last failure, as the client saw it');
  t.is(app.state, 'ERROR');
  t.is(app.error, error);
  t.deepEqual(states, ['CREATED', 'REBALANCING', 'PENDING_ERROR', 'ERROR']);
  t.is(lines.filter((l) => l.includes('could not start')).length, 1, `one error line: ${lines.join(' | ')}`);
  await app.close();
  t.is(app.state, 'ERROR');
});
