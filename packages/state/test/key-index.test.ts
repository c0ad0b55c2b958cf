import test from 'ava';
import { KeyIndex, hashKey, type Indexed } from '../src/cache/key-index.ts';

interface E extends Indexed {
  v: number;
}
const entry = (ks: string, v = 0): E => ({ ks, v, slot: -1 });

/** xorshift32: a fixed pseudo-random sequence. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    return x;
  };
}

test('get, insert after a miss, remove, holds', (t) => {
  const ix = new KeyIndex<E>();
  t.is(ix.get('a'), undefined);
  const a = entry('a', 1);
  ix.insert(a); // reuses the slot the miss found
  t.is(ix.get('a'), a);
  t.true(ix.holds(a));
  const b = entry('b', 2);
  ix.insert(b); // no preceding miss for 'b': probes itself
  t.is(ix.get('b'), b);
  t.is(ix.size, 2);
  ix.remove(a);
  t.false(ix.holds(a));
  t.is(ix.get('a'), undefined);
  t.is(ix.get('b'), b);
  t.is(ix.size, 1);
  t.throws(() => ix.insert(entry('b')), { message: /already present/ });
  t.throws(() => ix.remove(a), { message: /not in the index/ });
});

test('a stale miss slot is not reused after the table changed', (t) => {
  const ix = new KeyIndex<E>();
  for (let i = 0; i < 10; i++) ix.insert(entry(`k${i}`));
  t.is(ix.get('x'), undefined); // remembers where 'x' would go
  ix.remove(ix.get('k3')!); // may shift entries into that run
  ix.insert(entry('x'));
  t.truthy(ix.get('x'));
  for (let i = 0; i < 10; i++) t.is(ix.get(`k${i}`) !== undefined, i !== 3);
});

test('matches a Map through random inserts and removes (growth, shrinking, backward shifts across wrap-around)', (t) => {
  const next = rng(42);
  const ix = new KeyIndex<E>();
  const model = new Map<string, E>();
  const keys: string[] = [];
  for (let step = 0; step < 60_000; step++) {
    const r = next();
    // grow to ~5,000 keys, then shrink to a few, then grow again: the table doubles and halves
    const phase = Math.floor(step / 20_000);
    const insertBias = phase === 1 ? 0.2 : 0.7;
    if (keys.length === 0 || (r % 1000) / 1000 < insertBias) {
      const ks = String.fromCharCode(next() % 256, next() % 256, next() % 256);
      const found = ix.get(ks);
      t.is(found, model.get(ks));
      if (found === undefined) {
        // half the time another lookup comes in between: the insert then probes for itself
        if ((r & 1) === 1) ix.get(String.fromCharCode(next() % 256, next() % 256));
        const e = entry(ks, step);
        ix.insert(e);
        model.set(ks, e);
        keys.push(ks);
      }
    } else {
      const i = next() % keys.length;
      const ks = keys[i]!;
      keys[i] = keys[keys.length - 1]!;
      keys.pop();
      const e = model.get(ks)!;
      ix.remove(e);
      model.delete(ks);
    }
    if (step % 5_000 === 0) {
      t.is(ix.size, model.size);
      for (const [ks, e] of model) if (ix.get(ks) !== e || !ix.holds(e)) t.fail(`lost ${JSON.stringify(ks)} at step ${step}`);
      let n = 0;
      ix.forEach(() => n++);
      t.is(n, model.size);
    }
  }
  for (const [ks, e] of model) t.is(ix.get(ks), e);
});

test('hashKey spreads similar keys over the low bits', (t) => {
  const buckets = new Set<number>();
  for (let i = 0; i < 1024; i++) buckets.add(hashKey(`key-${i}`) & 1023);
  t.true(buckets.size > 550); // a uniform hash fills ~632 of 1,024
});
