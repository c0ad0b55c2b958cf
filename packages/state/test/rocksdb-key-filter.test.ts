import test from 'ava';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KeyFilter } from '../src/rocksdb/key-filter.ts';
import { RocksDbKeyValueStore } from '../src/index.ts';

const key = (i: number) => new TextEncoder().encode(`key-${i}`);

test('the key filter never says absent for an added key, and says absent for most others', (t) => {
  const f = new KeyFilter(10_000);
  for (let i = 0; i < 10_000; i++) f.add(key(i));
  for (let i = 0; i < 10_000; i++) t.true(f.mightContain(key(i)));
  let falsePositives = 0;
  for (let i = 10_000; i < 110_000; i++) if (f.mightContain(key(i))) falsePositives++;
  t.true(falsePositives < 2_000, `false positives: ${falsePositives} of 100,000`);
  t.false(f.full);
  for (let i = 0; i < 10_000; i++) f.add(key(i));
  t.false(f.full, 're-adding present keys does not use capacity');
  for (let i = 10_000; i < 12_000; i++) f.add(key(i));
  t.true(f.full);
  const bigger = KeyFilter.rebuildFrom(Array.from({ length: 12_000 }, (_, i) => key(i)), 12_000);
  t.false(bigger.full);
  for (let i = 0; i < 12_000; i++) t.true(bigger.mightContain(key(i)));
});

test('a RocksDB store with its key filter: reads right across deletes, reopen and restore', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'rocks-filter-'));
  try {
    const s = await RocksDbKeyValueStore.open({ name: 's', dir });
    const gets = { n: 0 };
    const realGet = s.db.get.bind(s.db);
    s.db.get = (k) => { gets.n++; return realGet(k); };
    for (let i = 0; i < 40_000; i++) s.put(key(i), key(i));
    s.flush();
    t.deepEqual(s.get(key(123)), key(123));
    t.deepEqual(s.get(key(39_999)), key(39_999));
    gets.n = 0;
    let found = 0;
    for (let i = 40_000; i < 50_000; i++) if (s.get(key(i)) !== undefined) found++;
    t.is(found, 0);
    t.true(gets.n < 500, `absent keys asked RocksDB ${gets.n} times of 10,000`);
    s.delete(key(5));
    s.flush();
    t.is(s.get(key(5)), undefined);
    s.close();
    await s.closed;
    const again = await RocksDbKeyValueStore.open({ name: 's', dir });
    t.deepEqual(again.get(key(7)), key(7), 'the filter is rebuilt from the keys on disk at open');
    t.is(again.get(key(5)), undefined);
    again.restoreBatch([{ key: key(77_777), value: key(1), timestamp: 0 }]);
    t.deepEqual(again.get(key(77_777)), key(1), 'restored keys are in the filter');
    t.deepEqual(again.getMany([key(77_777), key(88_888), key(8)]), [key(1), undefined, key(8)]);
    again.close();
    await again.closed;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
