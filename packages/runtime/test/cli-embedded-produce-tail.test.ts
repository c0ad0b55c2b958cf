// `streams produce`, `tail`, `topics` and `reset` on the embedded log (no --brokers), as test-integration/
// cli-produce-tail.test.ts has them on Kafka: a topic made on first use, records in their murmur2 partitions, serdes
// both ways, the mistakes (a line the serde cannot take, a JSON line with a wrong field, a wrong serde when reading),
// and reset asking before it changes anything. Each test on a state directory of its own.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test, { type ExecutionContext } from 'ava';
import { streams } from './cli-process.ts';
import { defaultPartition } from '../src/io/murmur2.ts';

const WORD_COUNT = fileURLToPath(new URL('./fixtures/cli/word-count/topology.ts', import.meta.url));

interface TailedRecord {
  partition: number;
  offset: number;
  key: unknown;
  value: unknown;
  valueError?: string;
}

function stateDir(t: ExecutionContext): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'streams-cli-embedded-pt-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return ['--state-dir', dir];
}

function parse(stdout: string): TailedRecord[] {
  return stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as TailedRecord);
}

test('embedded: produce makes a missing topic (4 partitions, saying so), records go to their murmur2 partitions in order; tail reads them back; topics lists the end offsets', async (t) => {
  const s = stateDir(t);
  const produced = await streams(['produce', 'clicks', ...s], { input: 'user-1\tclicked /home\nuser-2\tclicked /cart\na value with no key\nuser-1\tclicked /checkout\n' });
  t.is(produced.code, 0, produced.stderr);
  t.regex(produced.stderr, /^Created topic clicks with 4 partitions on the embedded log in /);
  t.regex(produced.stdout, /^Produced 4 records to clicks on the embedded log in .* \(partition \d: \d(, partition \d: \d)*\)\.\n$/);

  const tailed = await streams(['tail', 'clicks', '--from-beginning', '--max', '4', ...s]);
  t.is(tailed.code, 0, tailed.stderr);
  const records = parse(tailed.stdout);
  t.is(records.length, 4);
  for (const r of records) if (r.key !== null) t.is(r.partition, defaultPartition(Buffer.from(r.key as string), 4), `${String(r.key)} in its murmur2 partition`);
  const user1 = records.filter((r) => r.key === 'user-1');
  t.deepEqual(user1.map((r) => r.value), ['clicked /home', 'clicked /checkout'], "one key's records in order");
  t.true(user1[0]!.offset < user1[1]!.offset);
  t.deepEqual(records.filter((r) => r.key === null).map((r) => r.value), ['a value with no key']);

  const topics = await streams(['topics', ...s]);
  t.is(topics.code, 0, topics.stderr);
  t.regex(topics.stdout, /^clicks +4 +\d \d \d \d +\(4\)$/m);
});

test('embedded: bytes-hex and double serdes both ways; read with the wrong serde, a record prints its bytes in hex with the reason', async (t) => {
  const s = stateDir(t);
  t.is((await streams(['produce', 'raw', '--key-serde', 'bytes-hex', '--value-serde', 'double', ...s], { input: 'cafe\t2.5\n00ff\t-1e3\n' })).code, 0);
  const read = parse((await streams(['tail', 'raw', '--from-beginning', '--max', '2', '--key-serde', 'bytes-hex', '--value-serde', 'double', ...s])).stdout);
  t.deepEqual(read.map((r) => [r.key, r.value]).sort(), [['00ff', -1000], ['cafe', 2.5]]);
  const wrong = parse((await streams(['tail', 'raw', '--from-beginning', '--max', '2', '--value-serde', 'integer', ...s])).stdout);
  const cafe = wrong.find((r) => r.key !== null && r.value === '4004000000000000');
  t.truthy(cafe, JSON.stringify(wrong));
  t.regex(cafe!.valueError!, /^Integer cannot read it: /);
});

test('embedded: a line the serde cannot take stops produce naming the line (what came before it is produced); a JSON line with an unknown field', async (t) => {
  const s = stateDir(t);
  const bad = await streams(['produce', 'nums', '--value-serde', 'long', ...s], { input: 'a\t1\nb\tone\nc\t3\n' });
  t.is(bad.code, 1);
  t.is(bad.stderr.trim().split('\n').at(-1), "streams produce: line 2 of stdin: the value: 'one' is not a whole number (a safe integer), which --value-serde long takes. Fix the line (the 1 record before it was produced).");
  const topics = await streams(['topics', ...s]);
  t.regex(topics.stdout, /^nums +4 +[01] [01] [01] [01] +\(1\)$/m, 'the record before the bad line is there, none after');

  const json = await streams(['produce', 'nums', '--json', ...s], { input: '{"key": "a", "vaule": 1}\n' });
  t.is(json.code, 1);
  t.regex(json.stderr, /line 1 of stdin: unknown field "vaule" \(a line has "key", "value", "timestamp", "headers"\)/);
});

test('reset asks before it changes anything: without --yes and without a terminal to ask on, it changes nothing and says to pass --yes', async (t) => {
  const s = stateDir(t);
  const reset = await streams(['reset', WORD_COUNT, ...s]);
  t.is(reset.code, 2);
  t.regex(reset.stdout, /^Resetting application word-count on the embedded log in /);
  t.is(reset.stderr.trim(), 'streams reset: it asks before it changes anything, and stdin is not a terminal to ask on: pass --yes to reset without asking.');
});
