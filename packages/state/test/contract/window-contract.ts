import type { ExecutionContext, TestFn } from 'ava';
import type { KeyValue, WindowBytesStore, WindowedBytes } from '../../src/index.ts';
import type { StackFactory, WindowParams } from './factories.ts';
import { b, hex } from './helpers.ts';

const rows = (it: Iterable<KeyValue<WindowedBytes, Uint8Array>>): string[] => Array.from(it, (kv) => `${hex(kv.key.key)}@${kv.key.start}-${kv.key.end}=${hex(kv.value)}`);
const times = (it: Iterable<KeyValue<number, Uint8Array>>): string[] => Array.from(it, (kv) => `${kv.key}=${hex(kv.value)}`);

/** The window bytes store contract. `stacks(params)` gives the stack factories for the given store parameters. */
export function windowContract(test: TestFn, label: string, stacks: (p: WindowParams) => StackFactory<WindowBytesStore>): void {
  const t = (title: string, fn: (a: ExecutionContext) => void | Promise<void>) => test(`window[${label}] ${title}`, fn);
  const P: WindowParams = { retentionPeriod: 100, windowSize: 10 };

  t('put/fetch, overwrite, null put deletes, observedStreamTime', async (a) => {
    const { store } = await stacks(P).make(a);
    a.is(store.observedStreamTime(), -1);
    store.put(b(1), b(0xa), 0);
    store.put(b(1), b(0xb), 10);
    store.put(b(1), b(0xc), 10);
    a.is(store.observedStreamTime(), 10);
    a.deepEqual(store.fetch(b(1), 10), b(0xc));
    a.deepEqual(store.fetch(b(1), 0), b(0xa));
    a.is(store.fetch(b(1), 5), undefined);
    a.is(store.fetch(b(2), 10), undefined);
    store.put(b(1), null, 10);
    a.is(store.fetch(b(1), 10), undefined);
    a.deepEqual(times(store.fetchRange(b(1), 0, 100)), ['0=0a']);
  });

  t('fetchRange: inclusive time bounds, ascending by start, backward', async (a) => {
    const { store } = await stacks(P).make(a);
    for (const start of [30, 10, 20, 0, 40]) store.put(b(7), b(start), start);
    store.put(b(8), b(0xff), 20);
    a.deepEqual(times(store.fetchRange(b(7), 10, 30)), ['10=0a', '20=14', '30=1e']);
    a.deepEqual(times(store.fetchRange(b(7), 10, 30, true)), ['30=1e', '20=14', '10=0a']);
    a.deepEqual(times(store.fetchRange(b(7), 31, 39)), []);
    a.deepEqual(times(store.fetchRange(b(7), 40, 10)), []);
  });

  t('fetchKeyRange / fetchAll / all: ordered by start then key bytes (unsigned), windows end = start + size', async (a) => {
    const { store } = await stacks(P).make(a);
    store.put(b(0x80), b(1), 20);
    store.put(b(0x7f), b(2), 20);
    store.put(b(0x01), b(3), 10);
    store.put(b(0xff), b(4), 10);
    store.put(b(0x80, 0x00), b(5), 10);
    a.deepEqual(rows(store.fetchAll(0, 100)), ['01@10-20=03', '8000@10-20=05', 'ff@10-20=04', '7f@20-30=02', '80@20-30=01']);
    a.deepEqual(rows(store.all()), rows(store.fetchAll(0, 100)));
    a.deepEqual(rows(store.fetchAll(0, 100, true)), ['80@20-30=01', '7f@20-30=02', 'ff@10-20=04', '8000@10-20=05', '01@10-20=03']);
    a.deepEqual(rows(store.fetchAll(20, 20)), ['7f@20-30=02', '80@20-30=01']);
    a.deepEqual(rows(store.fetchKeyRange(b(0x7f), b(0x80), 0, 100)), ['7f@20-30=02', '80@20-30=01']);
    a.deepEqual(rows(store.fetchKeyRange(b(0x80), undefined, 0, 100)), ['8000@10-20=05', 'ff@10-20=04', '80@20-30=01']);
    a.deepEqual(rows(store.fetchKeyRange(undefined, b(0x7f), 0, 15)), ['01@10-20=03']);
    a.deepEqual(rows(store.fetchKeyRange(b(0x80), b(0x7f), 0, 100)), []);
  });

  t('retention: a window starting exactly at observedStreamTime - retention is expired (put and fetch)', async (a) => {
    const { store } = await stacks(P).make(a);
    store.put(b(1), b(1), 1000);
    store.put(b(1), b(2), 900); // 900 <= 1000 - 100: dropped
    store.put(b(1), b(3), 901); // live
    a.is(store.fetch(b(1), 900), undefined);
    a.deepEqual(store.fetch(b(1), 901), b(3));
    a.deepEqual(times(store.fetchRange(b(1), 0, 2000)), ['901=03', '1000=01']);
    store.put(b(2), b(4), 1001); // stream time 1001: 901 is now expired
    a.is(store.fetch(b(1), 901), undefined);
    a.deepEqual(times(store.fetchRange(b(1), 0, 2000)), ['1000=01']);
    a.deepEqual(rows(store.all()), ['01@1000-1010=01', '02@1001-1011=04']);
    a.deepEqual(rows(store.fetchAll(901, 901)), []);
    a.is(store.observedStreamTime(), 1001);
  });

  t('retention: old windows disappear as stream time advances far', async (a) => {
    const { store } = await stacks(P).make(a);
    for (let ts = 0; ts <= 10_000; ts += 50) store.put(b(ts % 3), b(ts & 0xff), ts);
    const starts = Array.from(store.all(), (kv) => kv.key.start);
    a.deepEqual([...new Set(starts)], [9950, 10_000]);
    a.deepEqual(times(store.fetchRange(b(1), 0, 10_000)), ['10000=10']);
  });

  t('retainDuplicates: every put appends in order, null put ignored, fetch returns undefined', async (a) => {
    const { store } = await stacks({ ...P, retainDuplicates: true }).make(a);
    a.true(store.retainDuplicates);
    store.put(b(1), b(0xa), 10);
    store.put(b(1), b(0xb), 10);
    store.put(b(1), null, 10);
    store.put(b(1), b(0xc), 5);
    store.put(b(1), b(0xa), 10);
    store.put(b(2), b(0xd), 10);
    a.deepEqual(times(store.fetchRange(b(1), 0, 100)), ['5=0c', '10=0a', '10=0b', '10=0a']);
    a.deepEqual(times(store.fetchRange(b(1), 0, 100, true)), ['10=0a', '10=0b', '10=0a', '5=0c']);
    a.is(store.fetch(b(1), 10), undefined);
    a.deepEqual(rows(store.fetchAll(0, 100)), ['01@5-15=0c', '01@10-20=0a', '01@10-20=0b', '01@10-20=0a', '02@10-20=0d']);
  });

  t('close sets isOpen false', async (a) => {
    const { store } = await stacks(P).make(a);
    store.put(b(1), b(1), 1);
    store.close();
    a.false(store.isOpen());
  });

  const logged = stacks(P);
  if (logged.logging) {
    t('changelog key is [key][8-byte start][4-byte seqnum = 0]; value and timestamp', async (a) => {
      const { store, sink } = await stacks(P).make(a);
      store.put(b(0x61, 0x62), b(9), 0x0102030405);
      store.flush(); // a caching layer logs on flush
      store.put(b(0x61), null, 7);
      store.flush();
      a.deepEqual(sink!.records.map((r) => hex(r.key)), ['6162' + '0000000102030405' + '00000000', '61' + '0000000000000007' + '00000000']);
      a.deepEqual(sink!.records.map((r) => (r.value === null ? null : hex(r.value))), ['09', null]);
      a.true(sink!.records.every((r) => r.timestamp === 42));
    });

    t('changelog seqnum counts up per put with retainDuplicates (null puts too)', async (a) => {
      const { store, sink } = await stacks({ ...P, retainDuplicates: true }).make(a);
      store.put(b(1), b(1), 5);
      store.put(b(1), b(1), 5);
      store.put(b(1), null, 5);
      a.deepEqual(sink!.records.map((r) => hex(r.key).slice(-8)), ['00000001', '00000002', '00000003']);
    });

    t('restoreBatch reproduces the state (tombstones, expiry, stream time)', async (a) => {
      const { store, sink, fresh } = await stacks(P).make(a);
      for (let i = 0; i < 300; i++) store.put(b(i % 7, 0x90), i % 5 === 0 ? null : b(i & 0xff), i * 3);
      store.put(b(1, 0x90), b(0xee), 850);
      store.flush();
      const restored = await fresh();
      restored.restoreBatch!(sink!.records);
      a.deepEqual(rows(restored.all()), rows(store.all()));
      a.is(restored.observedStreamTime(), store.observedStreamTime());
    });

    t('restoreBatch reproduces duplicates', async (a) => {
      const p = { ...P, retainDuplicates: true };
      const { store, sink } = await stacks(p).make(a);
      for (let i = 0; i < 20; i++) store.put(b(i % 2), b(i), 10 + (i % 3));
      const restored = await (await stacks(p).make(a)).fresh();
      restored.restoreBatch!(sink!.records);
      a.deepEqual(rows(restored.all()), rows(store.all()));
    });
  }
}
