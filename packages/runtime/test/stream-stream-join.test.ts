import test from 'ava';
import { StreamsBuilder, Serdes, Consumed, Produced, JoinWindows } from '@ts-streams/dsl';
import { TopologyTestDriver } from '@ts-streams/runtime/testing';

const C = Consumed.with(Serdes.String(), Serdes.String());
const SJ = { keySerde: Serdes.String(), valueSerde: Serdes.String(), otherValueSerde: Serdes.String() };
const J = (l: string | null, r: string | null) => `${l}+${r}`;

function setup(kind: 'join' | 'leftJoin' | 'outerJoin', windows = JoinWindows.ofTimeDifferenceAndGrace(100, 50)) {
  const b = new StreamsBuilder();
  const left = b.stream('left', C);
  const right = b.stream('right', C);
  (left[kind] as any)(right, J, windows, SJ).to('out', Produced.with(Serdes.String(), Serdes.String()));
  const topology = b.build();
  const d = new TopologyTestDriver(topology, { cacheMaxBytes: 0 });
  return {
    d, topology,
    l: d.createInputTopic('left', Serdes.String(), Serdes.String()),
    r: d.createInputTopic('right', Serdes.String(), Serdes.String()),
    read: () => d.createOutputTopic('out', Serdes.String(), Serdes.String()).readRecordsToList().map((x) => [x.key, x.value, x.timestamp]),
  };
}

test('inner: matches inside [ts-before, ts+after] (inclusive), result timestamp = max of both', (t) => {
  const { d, l, r, read } = setup('join');
  l.pipeInput('a', 'L1', 1000);
  r.pipeInput('a', 'R1', 1100); // exactly at +100: inside
  r.pipeInput('a', 'R2', 1101); // outside
  l.pipeInput('a', 'L2', 1001); // matches R1 (99 before) and R2 (100 before)
  r.pipeInput('a', 'R0', 900); // matches L1 (exactly -100), L2 is 101 away
  r.pipeInput('b', 'Rb', 1000); // other key: nothing
  t.deepEqual(read(), [
    ['a', 'L1+R1', 1100],
    ['a', 'L2+R1', 1100],
    ['a', 'L2+R2', 1101],
    ['a', 'L1+R0', 1000],
  ]);
  d.close();
});

test('inner: null keys and null values are dropped; too-late records find nothing', (t) => {
  const { d, l, r, read } = setup('join');
  l.pipeInput('a', 'L1', 1000);
  r.pipeInput(null as any, 'R', 1000);
  r.pipeInput('a', null as any, 1000);
  t.deepEqual(read(), []);
  l.pipeInput('x', 'X', 2000); // stream time 2000: L1 (retention 250) has expired
  r.pipeInput('a', 'late', 1000);
  t.deepEqual(read(), []);
  d.close();
});

test('left: a non-match is held until stream time passes ts + after + grace, then emitted with its own timestamp', (t) => {
  const { d, l, r, read } = setup('leftJoin');
  l.pipeInput('a', 'L1', 1000);
  t.deepEqual(read(), [], 'not emitted while the window may still match');
  l.pipeInput('x', 'X1', 1150); // 1000+100+50 = 1150: window not yet closed
  t.deepEqual(read(), []);
  r.pipeInput('z', 'Z', 1151); // stream time 1151 > 1150: L1 and (not yet) X1 go out
  t.deepEqual(read(), [['a', 'L1+null', 1000]]);
  l.pipeInput('y', 'Y', 2000);
  t.deepEqual(read(), [['x', 'X1+null', 1150]]);
  d.close();
});

test('left: a match arriving later cancels the held non-match; right-only records never emit', (t) => {
  const { d, l, r, read } = setup('leftJoin');
  l.pipeInput('a', 'L1', 1000);
  r.pipeInput('a', 'R1', 1050);
  r.pipeInput('b', 'Rb', 1060);
  l.pipeInput('z', 'Z', 5000);
  t.deepEqual(read(), [['a', 'L1+R1', 1050]]);
  l.pipeInput('q', 'Q', 9000);
  t.deepEqual(read(), [['z', 'Z+null', 5000]]);
  d.close();
});

test('left: a null-key left record joins with null at once; a left record whose window is already closed emits at once', (t) => {
  const { d, l, read } = setup('leftJoin');
  l.pipeInput(null as any, 'N', 500);
  t.deepEqual(read(), [[null, 'N+null', 500]]);
  l.pipeInput('x', 'X', 3000);
  l.pipeInput('a', 'old', 1000); // 1000 + 100 < stream time 3000
  t.deepEqual(read(), [['a', 'old+null', 1000]]);
  d.close();
});

test('outer: non-matches of both sides emitted after window close, in timestamp order', (t) => {
  const { d, l, r, read } = setup('outerJoin');
  r.pipeInput('b', 'R1', 1000);
  l.pipeInput('a', 'L1', 1010);
  r.pipeInput('c', 'R2', 1020);
  r.pipeInput('c', 'R3', 1020);
  l.pipeInput('d', 'L2', 1030);
  r.pipeInput('d', 'R4', 1040);
  t.deepEqual(read(), [['d', 'L2+R4', 1040]]);
  l.pipeInput('z', 'Z', 2000);
  t.deepEqual(read(), [
    ['b', 'null+R1', 1000],
    ['a', 'L1+null', 1010],
    ['c', 'null+R2', 1020],
    ['c', 'null+R3', 1020],
  ]);
  d.close();
});

test('asymmetric windows: left matches other.ts in [ts-before, ts+after]', (t) => {
  const { d, l, r, read } = setup('join', JoinWindows.ofTimeDifferenceWithNoGrace(0).before(10).after(100));
  l.pipeInput('a', 'L', 1000);
  r.pipeInput('a', 'R-11', 989);
  r.pipeInput('a', 'R-10', 990);
  r.pipeInput('a', 'R+100', 1100);
  r.pipeInput('a', 'R+101', 1101);
  t.deepEqual(read(), [['a', 'L+R-10', 1000], ['a', 'L+R+100', 1100]]);
  d.close();
});

test('naming and stores follow Kafka Streams; key-changing inputs are repartitioned', (t) => {
  const b = new StreamsBuilder();
  const left = b.stream('left', C).selectKey((_k, v) => v);
  const right = b.stream('right', C);
  left.leftJoin(right, J, JoinWindows.ofTimeDifferenceAndGrace(100, 50), SJ).to('out', Produced.with(Serdes.String(), Serdes.String()));
  const topology = b.build();
  const desc = topology.describe();
  t.regex(desc, /KSTREAM-KEY-SELECT-0000000001-repartition/);
  // Kafka Streams 4.4.0 prints a processor's stores as a HashSet: this order is its output for this topology.
  t.regex(desc, /Processor: KSTREAM-JOINTHIS-0000000008 \(stores: \[KSTREAM-OUTERSHARED-0000000008-store, KSTREAM-OUTEROTHER-0000000009-store\]\)/);
  const d = new TopologyTestDriver(topology, { cacheMaxBytes: 0 });
  d.createInputTopic('left', Serdes.String(), Serdes.String()).pipeInput('k', 'a', 1000);
  d.createInputTopic('right', Serdes.String(), Serdes.String()).pipeInput('a', 'R', 1010);
  t.deepEqual(d.createOutputTopic('out', Serdes.String(), Serdes.String()).readKeyValuesToList(), [{ key: 'a', value: 'a+R' }]);
  d.close();
});

test('StreamJoined name and store name', (t) => {
  const b = new StreamsBuilder();
  b.stream('left', C).outerJoin(b.stream('right', C), J, JoinWindows.ofTimeDifferenceWithNoGrace(10), { ...SJ, name: 'j', storeName: 's' }).to('out', Produced.with(Serdes.String(), Serdes.String()));
  const desc = b.build().describe();
  for (const n of ['j-this-windowed', 'j-other-windowed', 'j-outer-this-join', 'j-outer-other-join', 'j-merge', 's-outer-this-join-store', 's-outer-other-join-store', 's-outer-shared-join-store']) {
    t.true(desc.includes(n), n);
  }
});
