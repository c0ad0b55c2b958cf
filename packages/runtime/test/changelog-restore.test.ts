import test from 'ava';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StreamsBuilder, Serdes, Consumed, Materialized, TimeWindows, SessionWindows, JoinWindows } from '@ts-streams/dsl';
import type { StoreSpec, Serde } from '@ts-streams/dsl';
import type { ChangelogRecord, StateStore } from '@ts-streams/state';
import { RecordCache, StateDirectory } from '@ts-streams/state';
import { TopologyTestDriver } from '@ts-streams/runtime/testing';
import { createTaskStores } from '../src/state/task-stores.ts';
import { openPersistentStores, closeInner } from '../src/state/persistent-stores.ts';

// Restoring a task's stores from their changelogs (the records Kafka Streams writes: the conformance suite compares
// them byte for byte) rebuilds what the running task holds, for every kind of store the DSL makes: a count (timestamped
// key-value), a windowed count (timestamped window), a session count, a stream-stream outer join's two window stores
// (duplicates) and its shared store of non-joined records (value lists), and a table source.

const S = Serdes.String();
const APP = 'app';

function topology() {
  const b = new StreamsBuilder();
  const clicks = b.stream('clicks', Consumed.with(S, S));
  clicks.groupByKey().count(Materialized.as('counts'));
  clicks.groupByKey().windowedBy(TimeWindows.ofSizeAndGrace(1000, 500)).count(Materialized.as('windowed'));
  clicks.groupByKey().windowedBy(SessionWindows.ofInactivityGapWithNoGrace(300)).count(Materialized.as('sessions'));
  clicks.outerJoin(b.stream('views', Consumed.with(S, S)), (l, r) => `${l}+${r}`, JoinWindows.ofTimeDifferenceAndGrace(200, 100), { keySerde: S, valueSerde: S, otherValueSerde: S, storeName: 'j' });
  b.table('profiles', Consumed.with(S, S), Materialized.as('profiles'));
  return b.build();
}

/**
 * Everything the bytes store at the bottom of a store's layers holds, in its order (below any cache: a caching
 * session store still returns sessions its store expired, as Kafka's, which a restore rightly does not bring back).
 */
function contents(store: StateStore, spec: StoreSpec): [string, string][] {
  let s = store as any;
  while (s.inner !== undefined) s = s.inner;
  const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
  switch (spec.type) {
    case 'key-value':
    case 'timestamped-key-value':
      return [...s.all()].map((kv: any) => [hex(kv.key), hex(kv.value)]);
    case 'window':
    case 'timestamped-window':
      return [...s.all()].map((kv: any) => [`${hex(kv.key.key)}@${kv.key.start}`, hex(kv.value)]);
    case 'session':
      return [...s.findSessionsRange(undefined, undefined, 0, Number.MAX_SAFE_INTEGER)].map((kv: any) => [`${hex(kv.key.key)}@${kv.key.start}-${kv.key.end}`, hex(kv.value)]);
  }
}

function drive(d: TopologyTestDriver): void {
  const clicks = d.createInputTopic('clicks', S, S);
  const views = d.createInputTopic('views', S, S);
  const profiles = d.createInputTopic('profiles', S, S);
  let ts = 0;
  for (let i = 0; i < 200; i++) {
    ts += [50, 120, 7, 400, 0][i % 5]!;
    const key = `k${(i * 7) % 5}`;
    if (i % 3 === 0) views.pipeInput(key, `v${i}`, ts - 60);
    else clicks.pipeInput(key, `c${i}`, i % 11 === 0 ? ts - 700 : ts);
    if (i % 13 === 0) profiles.pipeInput(key, i % 26 === 0 ? null : `p${i}`, ts);
  }
}

for (const backend of ['in-memory', 'rocksdb'] as const) {
  for (const cacheMaxBytes of [0, 10 * 1024 * 1024]) {
    test(`restoring every store from its changelog rebuilds the task's stores (${backend}, cache ${cacheMaxBytes})`, async (t) => {
      const top = topology();
      const d = new TopologyTestDriver(top, { applicationId: APP, cacheMaxBytes });
      drive(d);
      const specs = [...top.graph.stores.values()];
      t.deepEqual(specs.map((s) => s.type).sort(), ['key-value', 'session', 'timestamped-key-value', 'timestamped-key-value', 'timestamped-window', 'window', 'window']);
      const logs = new Map<string, ChangelogRecord[]>();
      for (const r of d.emitted) {
        if (!r.topic.endsWith('-changelog')) continue;
        const list = logs.get(r.topic) ?? [];
        list.push({ key: r.key!, value: r.value, timestamp: r.timestamp });
        logs.set(r.topic, list);
      }

      const root = mkdtempSync(join(tmpdir(), 'ts-streams-restore-'));
      t.teardown(() => rmSync(root, { recursive: true, force: true }));
      const stateDir = backend === 'rocksdb' ? StateDirectory.lock(join(root, APP)) : undefined;
      const opened = stateDir ? await openPersistentStores(specs.map((s) => ({ ...s, backend: 'rocksdb' as const })), { stateDir, taskId: '0_0', applicationId: APP, partition: 0, warn: () => {} }) : undefined;
      const serde = (s: Serde<any> | undefined, step: string) => {
        if (!s) throw new Error(`no serde for ${step}`);
        return s;
      };
      const sent: unknown[] = [];
      const { stores } = createTaskStores(specs, {
        taskId: '0_0', applicationId: APP, cache: new RecordCache(cacheMaxBytes), changelog: { send: (_n, r) => sent.push(r) },
        timestamp: () => -1, keySerde: serde, valueSerde: serde, ...(opened ? { inner: opened.inner } : {}),
      });
      for (const spec of specs) {
        const restored = stores.get(spec.name) as StateStore & { restoreBatch(r: readonly ChangelogRecord[]): void };
        const records = logs.get(`${APP}-${spec.name}-changelog`) ?? [];
        t.true(records.length > 0, `${spec.name} has a changelog`);
        for (let i = 0; i < records.length; i += 37) restored.restoreBatch(records.slice(i, i + 37));
        const expected = contents(d.getStateStore(spec.name), spec);
        t.true(expected.length > 0, `${spec.name} holds something`);
        t.deepEqual(contents(restored, spec), expected, `${spec.name} (${spec.type}) restored from ${records.length} records`);
      }
      t.is(sent.length, 0, 'restoring logs nothing');
      for (const s of stores.values()) s.close();
      if (opened) await Promise.all([...opened.inner.values()].map((s) => closeInner(s as never)));
      stateDir?.release();
      d.close();
    });
  }
}
