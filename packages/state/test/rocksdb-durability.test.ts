import test from 'ava';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RocksDbKeyValueStore, RocksDbWindowStore } from '../src/index.ts';

const b = (...xs: number[]) => Uint8Array.from(xs);

test('flush() writes the buffer into RocksDB; makeDurable() too, and the data is there after reopen', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'rocks-durable-'));
  try {
    const kv = await RocksDbKeyValueStore.open({ name: 'kv', dir: join(dir, 'kv') });
    const win = await RocksDbWindowStore.open({ name: 'w', dir: join(dir, 'w'), retentionPeriod: 1000, windowSize: 10 });
    kv.put(b(1), b(1));
    win.put(b(1), b(7), 100);
    kv.flush();
    win.flush();
    kv.put(b(2), b(2));
    kv.makeDurable();
    win.makeDurable();
    kv.close();
    win.close();
    await kv.closed;
    await win.closed;
    const kv2 = await RocksDbKeyValueStore.open({ name: 'kv', dir: join(dir, 'kv') });
    const win2 = await RocksDbWindowStore.open({ name: 'w', dir: join(dir, 'w'), retentionPeriod: 1000, windowSize: 10 });
    t.deepEqual(kv2.get(b(1)), b(1));
    t.deepEqual(kv2.get(b(2)), b(2));
    t.deepEqual(win2.fetch(b(1), 100), b(7));
    kv2.close();
    win2.close();
    await kv2.closed;
    await win2.closed;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
