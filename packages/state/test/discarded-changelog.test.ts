import test from 'ava';
import type { ChangelogRecord, ChangelogSink } from '../src/index.ts';
import { InMemoryKeyValueStore, InMemorySessionStore, InMemoryWindowStore } from '../src/index.ts';
import { ChangeLoggingKeyValueStore } from '../src/layers/change-logging-key-value-store.ts';
import { ChangeLoggingSessionStore } from '../src/layers/change-logging-session-store.ts';
import { ChangeLoggingWindowStore } from '../src/layers/change-logging-window-store.ts';

// A sink that discards a store's changelog (the test driver with changelog capture off) gets no record for it: the
// layer asks once, at the first write, and from then on writes below only.

const b = (s: string) => new TextEncoder().encode(s);

function sink(discard: (store: string) => boolean): ChangelogSink & { sent: ChangelogRecord[]; asked: string[] } {
  const sent: ChangelogRecord[] = [];
  const asked: string[] = [];
  return {
    sent,
    asked,
    send: (_store, r) => void sent.push(r),
    discards: (store) => (asked.push(store), discard(store)),
  };
}

test('a discarded key-value changelog gets no record; the store below gets every write; asked once, at the first write', (t) => {
  const s = sink(() => true);
  const store = new ChangeLoggingKeyValueStore(new InMemoryKeyValueStore('kv'), s, () => 5);
  t.deepEqual(s.asked, []);
  store.put(b('a'), b('1'));
  store.putIfAbsent(b('b'), b('2'));
  store.putAll([{ key: b('c'), value: b('3') }]);
  store.delete(b('a'));
  t.deepEqual(s.sent, []);
  t.deepEqual(s.asked, ['kv']);
  t.is(store.get(b('a')), undefined);
  t.deepEqual(store.get(b('b')), b('2'));
  t.deepEqual(store.get(b('c')), b('3'));
});

test('a kept changelog gets every write, and so do window and session changelogs unless discarded', (t) => {
  const kept = sink(() => false);
  const kv = new ChangeLoggingKeyValueStore(new InMemoryKeyValueStore('kv'), kept, () => 5);
  kv.put(b('a'), b('1'));
  kv.delete(b('a'));
  t.deepEqual(kept.sent.map((r) => [r.value === null ? null : new TextDecoder().decode(r.value), r.timestamp]), [['1', 5], [null, 5]]);

  const dropped = sink(() => true);
  const win = new ChangeLoggingWindowStore(new InMemoryWindowStore({ name: 'w', retentionPeriod: 1000, windowSize: 10 }), dropped, () => 5);
  win.put(b('k'), b('v'), 0);
  const ses = new ChangeLoggingSessionStore(new InMemorySessionStore({ name: 's', retentionPeriod: 1000 }), dropped, () => 5);
  ses.put({ key: b('k'), start: 0, end: 3 }, b('v'));
  ses.remove({ key: b('k'), start: 0, end: 3 });
  t.deepEqual(dropped.sent, []);
  t.deepEqual(dropped.asked, ['w', 's']);
  t.deepEqual(win.fetch(b('k'), 0), b('v'));
  t.is(ses.fetchSession(b('k'), 0, 3), undefined);
});
