import type { ExecutionContext, TestFn } from 'ava';
import type { KeyValueBytesStore } from '../../src/index.ts';
import { compareBytes } from '../../src/index.ts';
import type { StackFactory } from './factories.ts';
import { b, hex, keysOf, pairsOf, rng, sortedHex } from './helpers.ts';

/** The key-value bytes store contract, run against one stack factory. */
export function keyValueContract(test: TestFn, f: StackFactory<KeyValueBytesStore>): void {
  const t = (title: string, fn: (a: ExecutionContext) => void | Promise<void>) => test(`kv[${f.label}] ${title}`, fn);

  t('get/put/overwrite/delete and their return values', async (a) => {
    const { store } = await f.make(a);
    a.is(store.get(b(1)), undefined);
    store.put(b(1), b(10));
    a.deepEqual(store.get(b(1)), b(10));
    store.put(b(1), b(11));
    a.deepEqual(store.get(b(1)), b(11));
    a.deepEqual(store.delete(b(1)), b(11));
    a.is(store.get(b(1)), undefined);
    a.is(store.delete(b(1)), undefined);
    store.put(b(2), b(20));
    store.put(b(2), null);
    a.is(store.get(b(2)), undefined);
    a.is(store.putIfAbsent(b(3), b(30)), undefined);
    a.deepEqual(store.putIfAbsent(b(3), b(31)), b(30));
    a.deepEqual(store.get(b(3)), b(30));
    store.putAll([{ key: b(4), value: b(40) }, { key: b(3), value: null }, { key: b(5), value: b(50) }]);
    a.deepEqual(keysOf(store.all()), ['04', '05']);
    store.flush();
    a.is(store.approximateNumEntries(), 2);
  });

  t('empty key and empty value', async (a) => {
    const { store } = await f.make(a);
    store.put(b(), b());
    a.deepEqual(store.get(b()), b());
    a.deepEqual(pairsOf(store.all()), [['', '']]);
  });

  const orderKeys = [b(0x80), b(0x7f), b(0xff), b(0x00), b(0x80, 0x00), b(0x01, 0xff), b(0xff, 0xff, 0x01), b(0x7f, 0xff), b(0x80, 0x80), b(0x01)];

  t('scans are in unsigned byte order (bytes >= 0x80 after 0x7f)', async (a) => {
    const { store } = await f.make(a);
    for (const k of orderKeys) store.put(k, k);
    a.deepEqual(keysOf(store.all()), sortedHex(orderKeys));
    a.deepEqual(keysOf(store.all(true)), sortedHex(orderKeys).reverse());
    a.deepEqual(keysOf(store.range(undefined, undefined)), sortedHex(orderKeys));
  });

  t('range bounds are inclusive; unbounded sides; from > to is empty', async (a) => {
    const { store } = await f.make(a);
    for (const k of orderKeys) store.put(k, k);
    a.deepEqual(keysOf(store.range(b(0x7f), b(0x80))), ['7f', '7fff', '80']);
    a.deepEqual(keysOf(store.range(b(0x7f), b(0x80), true)), ['80', '7fff', '7f']);
    a.deepEqual(keysOf(store.range(b(0x7f, 0x00), b(0x80, 0x00))), ['7fff', '80', '8000']);
    a.deepEqual(keysOf(store.range(b(0x80, 0x00), undefined)), ['8000', '8080', 'ff', 'ffff01']);
    a.deepEqual(keysOf(store.range(undefined, b(0x01))), ['00', '01']);
    a.deepEqual(keysOf(store.range(undefined, b(0x01), true)), ['01', '00']);
    a.deepEqual(keysOf(store.range(b(0x81), b(0x80))), []);
    a.deepEqual(keysOf(store.range(b(0x02), b(0x03))), []);
    a.deepEqual(keysOf(store.range(b(0xff), b(0xff))), ['ff']);
  });

  t('prefixScan, including prefixes with bytes >= 0x80 and 0xff', async (a) => {
    const { store } = await f.make(a);
    for (const k of orderKeys) store.put(k, k);
    store.put(b(0x81), b(1));
    a.deepEqual(keysOf(store.prefixScan(b(0x80))), ['80', '8000', '8080']);
    a.deepEqual(keysOf(store.prefixScan(b(0xff))), ['ff', 'ffff01']);
    a.deepEqual(keysOf(store.prefixScan(b(0xff, 0xff))), ['ffff01']);
    a.deepEqual(keysOf(store.prefixScan(b(0x7f))), ['7f', '7fff']);
    a.deepEqual(keysOf(store.prefixScan(b(0x02))), []);
    a.deepEqual(keysOf(store.prefixScan(b())), sortedHex([...orderKeys, b(0x81)]));
  });

  t('scans see deletes and re-adds interleaved with them (randomised against a model)', async (a) => {
    const { store } = await f.make(a);
    const model = new Map<string, Uint8Array>();
    const r = rng(7);
    for (let step = 0; step < 3000; step++) {
      const k = b(Math.floor(r() * 40) * 6, Math.floor(r() * 3) * 0x70);
      const x = r();
      if (x < 0.55) {
        const v = b(step & 0xff);
        store.put(k, v);
        model.set(hex(k), k);
      } else if (x < 0.85) {
        store.delete(k);
        model.delete(hex(k));
      } else {
        // scan every so often, with bursts of changes of different sizes in between
        const expected = sortedHex([...model.values()]);
        a.deepEqual(keysOf(store.all()), expected);
        const lo = b(Math.floor(r() * 256)), hi = b(Math.floor(r() * 256));
        a.deepEqual(keysOf(store.range(lo, hi)), expected.filter((h) => compareBytes(Buffer.from(h, 'hex'), lo) >= 0 && compareBytes(Buffer.from(h, 'hex'), hi) <= 0));
      }
    }
  });

  t('scans after large bursts of adds and deletes (index merge path)', async (a) => {
    const { store } = await f.make(a);
    const live = new Map<string, Uint8Array>();
    for (let i = 0; i < 600; i++) {
      const k = b(i >> 8, i & 0xff, 0x80);
      store.put(k, b(1));
      live.set(hex(k), k);
    }
    a.deepEqual(keysOf(store.all()), sortedHex([...live.values()]));
    for (let i = 0; i < 600; i += 3) {
      const k = b(i >> 8, i & 0xff, 0x80);
      store.delete(k);
      live.delete(hex(k));
    }
    for (let i = 0; i < 100; i++) {
      const k = b(0xf0, i);
      store.put(k, b(2));
      live.set(hex(k), k);
    }
    store.put(b(0, 0, 0x80), b(3)); // deleted above, re-added before the next scan
    live.set('000080', b(0, 0, 0x80));
    a.deepEqual(keysOf(store.all()), sortedHex([...live.values()]));
    a.deepEqual(keysOf(store.prefixScan(b(0xf0))).length, 100);
  });

  t('a scan snapshots its keys: deleting during iteration skips, adding is not seen', async (a) => {
    const { store } = await f.make(a);
    for (let i = 1; i <= 5; i++) store.put(b(i), b(i));
    const seen: string[] = [];
    for (const kv of store.all()) {
      seen.push(hex(kv.key));
      if (kv.key[0] === 2) {
        store.delete(b(3));
        store.put(b(0x10), b(0x10));
      }
    }
    a.false(seen.includes('03'));
    a.true(seen.includes('01') && seen.includes('05'));
  });

  t('close sets isOpen false', async (a) => {
    const { store } = await f.make(a);
    store.put(b(1), b(1));
    a.true(store.isOpen());
    store.close();
    a.false(store.isOpen());
  });

  if (f.logging) {
    t('restoreBatch of the changelog (incl. tombstones) reproduces the state', async (a) => {
      const { store, sink, fresh } = await f.make(a);
      const r = rng(11);
      for (let i = 0; i < 500; i++) {
        const k = b(Math.floor(r() * 50), 0x80 + (i % 3));
        if (r() < 0.3) store.delete(k);
        else store.put(k, b(i & 0xff, 0xee));
      }
      store.putIfAbsent(b(0xff), b(1));
      store.flush();
      const restored = await fresh();
      a.truthy(restored.restoreBatch);
      a.true(sink!.records.some((x) => x.value === null));
      restored.restoreBatch!(sink!.records);
      a.deepEqual(pairsOf(restored.all()), pairsOf(store.all()));
      a.true(sink!.records.every((x) => x.timestamp === 42));
    });

    t('changelog records: put, putIfAbsent only when absent, delete tombstones', async (a) => {
      const { store, sink } = await f.make(a);
      store.put(b(1), b(1));
      store.putIfAbsent(b(1), b(2));
      store.putIfAbsent(b(2), b(2));
      store.flush();
      store.delete(b(1));
      store.flush();
      const log = sink!.records.map((x) => [hex(x.key), x.value === null ? null : hex(x.value)]);
      a.deepEqual(log.filter((x) => x[0] === '02'), [['02', '02']]);
      a.deepEqual(log.filter((x) => x[0] === '01').at(-1), ['01', null]);
      a.false(log.some((x) => x[0] === '01' && x[1] === '02'));
    });
  }
}
