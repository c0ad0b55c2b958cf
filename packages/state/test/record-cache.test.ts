import test from 'ava';
import { RecordCache } from '../src/index.ts';
import { CACHE_ENTRY_OVERHEAD } from '../src/cache/record-cache.ts';
import type { DirtyEntry } from '../src/cache/record-cache.ts';
import { b, hex } from './contract/helpers.ts';

test('byte accounting, LRU eviction order, clean entries evicted silently', (a) => {
  const flushed: string[][] = [];
  const cache = new RecordCache(3 * (2 + CACHE_ENTRY_OVERHEAD));
  const c = cache.namedCache('t', (es: readonly DirtyEntry[]) => flushed.push(es.map((e) => hex(e.key))));
  c.put('\x01', b(1), b(1), false, 0);
  c.put('\x02', b(2), b(2), false, 0);
  c.put('\x03', b(3), b(3), true, 0);
  a.is(cache.sizeBytes(), 3 * (2 + CACHE_ENTRY_OVERHEAD));
  a.truthy(c.get('\x01')); // 2 is now the eldest
  c.put('\x04', b(4), b(4), false, 0);
  a.is(c.peek('\x02'), undefined);
  a.deepEqual(flushed, []); // clean: no flush
  c.put('\x05', b(5), b(5), false, 0); // evicts dirty 3 → flush
  a.deepEqual(flushed, [['03']]);
  a.is(c.size, 3);
  a.is(c.evictions, 2);
  c.put('\x01', b(1), b(1, 2, 3), true, 0); // grows: evicts 4 (eldest)
  a.true(cache.sizeBytes() <= cache.maxBytes);
  a.is(c.peek('\x04'), undefined);
  a.throws(() => c.put('\x01', b(1), b(1), false, 0), { message: /dirty/ });
  cache.flush();
  a.deepEqual(flushed.at(-1), ['01']);
  a.false(c.peek('\x01')!.dirty);
  cache.remove('t');
  a.is(cache.sizeBytes(), 0);
});

test('flushed deletes leave the cache; resize to 0 empties it', (a) => {
  const cache = new RecordCache(1 << 20);
  const out: (string | null)[] = [];
  const c = cache.namedCache('t', (es) => es.forEach((e) => out.push(e.value && hex(e.value))));
  c.put('\x01', b(1), null, true, 0);
  c.put('\x02', b(2), b(2), true, 0);
  cache.flush('t');
  a.deepEqual(out, [null, '02']);
  a.is(c.peek('\x01'), undefined);
  a.truthy(c.peek('\x02'));
  c.put('\x03', b(3), b(3), true, 0);
  cache.resize(0);
  a.is(cache.sizeBytes(), 0);
  a.is(c.size, 0);
  a.deepEqual(out, [null, '02', '03']);
  a.throws(() => new RecordCache(-1));
});

test('dirtyCount follows puts, re-puts, deletes, evictions and flushes; a flush hands over exactly the dirty entries', (a) => {
  const flushed: string[][] = [];
  const cache = new RecordCache(3 * (2 + CACHE_ENTRY_OVERHEAD));
  const c = cache.namedCache('t', (es: readonly DirtyEntry[]) => flushed.push(es.map((e) => hex(e.key))));
  c.put('\x01', b(1), b(1), true, 0);
  c.put('\x02', b(2), b(2), true, 0);
  c.put('\x01', b(1), b(9), true, 0); // re-put: still one dirty entry for the key
  a.is(c.dirtyCount, 2);
  c.delete('\x02');
  a.is(c.dirtyCount, 1);
  c.put('\x03', b(3), b(3), false, 0);
  c.put('\x04', b(4), b(4), true, 0);
  a.is(c.dirtyCount, 2);
  c.put('\x05', b(5), b(5), true, 0); // evicts dirty 1: it and every other dirty entry (5 too) are flushed
  a.deepEqual(flushed, [['01', '04', '05']]);
  a.is(c.dirtyCount, 0);
  c.put('\x04', b(4), b(8), true, 0);
  a.is(c.dirtyCount, 1);
  c.flush();
  a.deepEqual(flushed, [['01', '04', '05'], ['04']]);
  a.is(c.dirtyCount, 0);
});

test('put says whether it added an entry the cache did not hold: true for a new key or one evicted meanwhile, false for an update', (a) => {
  const cache = new RecordCache(2 * (2 + CACHE_ENTRY_OVERHEAD));
  const c = cache.namedCache('t', () => undefined);
  a.true(c.put('\x01', b(1), b(1), true, 0));
  a.false(c.put('\x01', b(1), b(2), true, 0));
  a.false(c.put('\x01', b(1), null, true, 0), 'a cached delete is an update too');
  a.true(c.put('\x02', b(2), b(2), true, 0));
  a.true(c.put('\x03', b(3), b(3), true, 0)); // evicts 1
  a.is(c.peek('\x01'), undefined);
  a.true(c.put('\x01', b(1), b(1), true, 0), 'evicted meanwhile: added again');
});
