// The RocksDB window store answers reads of windows later than any put of their key without RocksDB (LatestTimeFilter).
// A wrong "nothing there" would lose rows silently, so: the filter never says less than what was noted, whatever
// collides; and the store gives the in-memory store's answers with far more keys than the filter has slots (every
// slot shared), across a reopen (rows from before it are not noted: the floor is the stream time), with reads that
// merge the write buffer into the rows on disk.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import type { KeyValue } from '../src/index.ts';
import { InMemoryWindowStore, RocksDbWindowStore } from '../src/index.ts';
import { LatestTimeFilter } from '../src/rocksdb/latest-time-filter.ts';
import { hex, rng, s } from './contract/helpers.ts';

const times = (it: Iterable<KeyValue<number, Uint8Array>>): string[] => Array.from(it, (kv) => `${kv.key}=${hex(kv.value)}`);

test('the filter never answers below the latest time noted for a key, with 50,000 keys over its slots', (t) => {
  const filter = new LatestTimeFilter(-Infinity);
  const latest = new Map<string, number>();
  const r = rng(5);
  for (let i = 0; i < 200_000; i++) {
    const k = String(Math.floor(r() * 50_000));
    const time = Math.floor(r() * 1_000_000);
    filter.note(s(k), time);
    latest.set(k, Math.max(latest.get(k) ?? -Infinity, time));
  }
  let below = 0;
  for (const [k, time] of latest) if (filter.latest(s(k)) < time) below++;
  t.is(below, 0);
  t.is(new LatestTimeFilter(-Infinity).latest(s('never')), -Infinity);
  t.is(new LatestTimeFilter(42).latest(s('never')), 42, 'a key not noted may have rows up to the floor');
});

for (const [retainDuplicates, maxBufferBytes] of [[false, undefined], [true, undefined], [false, 20_000], [true, 20_000]] as const) {
  test(`window store${retainDuplicates ? ' (retainDuplicates)' : ''}${maxBufferBytes === undefined ? '' : `, written down every ${maxBufferBytes} bytes`} with 20,000 keys: fetch and fetchRange give the in-memory store's answers, before and after a reopen`, async (t) => {
    const root = mkdtempSync(join(tmpdir(), 'ts-streams-latest-'));
    t.teardown(() => rmSync(root, { recursive: true, force: true }));
    const p = { retentionPeriod: 5_000, windowSize: 100, retainDuplicates, segmentInterval: 1_000 };
    // a small write buffer: reads merge rows on disk with buffered writes (deletes and overwrites of them too)
    const options = { name: 'w', dir: join(root, 'w'), ...p, ...(maxBufferBytes === undefined ? {} : { maxBufferBytes }) };
    let store = await RocksDbWindowStore.open(options);
    const model = new InMemoryWindowStore({ name: 'm', ...p });
    const r = rng(retainDuplicates ? 23 : 29);
    const key = () => s(String(Math.floor(r() * 20_000)));
    let found = 0;
    const check = () => {
      for (let i = 0; i < 3_000; i++) {
        const k = key();
        const from = Math.floor(r() * 12_000) - 1_000, to = from + Math.floor(r() * 2_000);
        const got = times(store.fetchRange(k, from, to));
        t.deepEqual(got, times(model.fetchRange(k, from, to)));
        found += got.length;
        const start = Math.floor(r() * 12_000);
        t.deepEqual(store.fetch(k, start), model.fetch(k, start));
      }
    };
    // puts in rough time order (stream time climbs to 10 s; some rows expire), with deletes
    for (let i = 0; i < 40_000; i++) {
      const k = key();
      const start = Math.max(0, Math.floor(i / 4) + Math.floor(r() * 400) - 300);
      const v = r() < 0.1 ? null : s(String(i));
      store.put(k, v, start);
      model.put(k, v, start);
      if (i % 10_000 === 9_999) check();
    }
    store.close();
    await store.closed;
    store = await RocksDbWindowStore.open(options);
    t.teardown(async () => {
      store.close();
      await store.closed;
    });
    check();
    t.true(found > 500, `the reads found rows (${found})`);
  });
}
