import test from 'ava';
import { InMemoryKeyValueStore, InMemorySessionStore, InMemoryWindowStore, StoreClosedError, buildKeyValueStore } from '../src/index.ts';
import { b, longSerde, stringSerde } from './contract/helpers.ts';

test('in-memory stores: closed stores refuse use; reopen gives an open, empty store', (a) => {
  const kv = new InMemoryKeyValueStore('kv');
  const w = new InMemoryWindowStore({ name: 'w', retentionPeriod: 100, windowSize: 10 });
  const s = new InMemorySessionStore({ name: 's', retentionPeriod: 100 });
  kv.put(b(1), b(1));
  w.put(b(1), b(1), 5);
  s.put({ key: b(1), start: 0, end: 5 }, b(1));
  for (const st of [kv, w, s]) {
    a.true(st.isOpen());
    st.close();
    a.false(st.isOpen());
  }
  a.throws(() => kv.get(b(1)), { instanceOf: StoreClosedError, message: /kv/ });
  a.throws(() => w.fetch(b(1), 5), { instanceOf: StoreClosedError });
  a.throws(() => s.findSessions(b(1), 0, 10), { instanceOf: StoreClosedError });
  for (const st of [kv, w, s]) {
    st.reopen();
    a.true(st.isOpen());
  }
  a.is(kv.get(b(1)), undefined);
  a.is(kv.approximateNumEntries(), 0);
  a.is(w.observedStreamTime(), -1);
  a.deepEqual([...s.findSessions(b(1), 0, 10)], []);
  const typed = buildKeyValueStore({ inner: kv, keySerde: stringSerde, valueSerde: longSerde });
  typed.put('a', 1);
  typed.close();
  a.false(typed.isOpen());
});
