import { TopologyTestDriver } from '@ts-streams/runtime/testing';
import type { Topology } from '@ts-streams/dsl';
import type { CaseFile, OutputJson, HeaderJson, InternalRecordJson } from './case-file.ts';
import { lineDiff } from './line-diff.ts';

/** What our driver emitted for a case, in the JSON's shape, for a record-by-record comparison. */
export interface Replay {
  readonly outputs: Record<string, OutputJson[]>;
  readonly order: [string, number][];
  readonly stores: Record<string, { key: { hex: string } | null; value: { hex: string } | null }[]>;
  /** Every internal topic we wrote (its name starts with the application id), records in send order. */
  readonly internal: Record<string, OutputJson[]>;
  /**
   * Internal topics left out of the comparison: suppress() buffers' changelogs, which ours does not write yet (its
   * buffer is in memory only; conformance/README.md, "Not compared yet").
   */
  readonly uncompared: ReadonlySet<string>;
  readonly describe: string;
}

const hex = (b: Uint8Array | null) => (b === null ? null : { hex: Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex') });
const bytes = (h: { hex: string } | null) => (h === null ? null : Buffer.from(h.hex, 'hex'));
const headersOut = (hs: readonly { key: string; value: Uint8Array | null }[]): HeaderJson[] => hs.map((h) => ({ key: h.key, hex: h.value === null ? null : Buffer.from(h.value).toString('hex') }));

/** Replays the case's input script through our TopologyTestDriver and collects outputs and stores. */
export function replay(file: CaseFile, topology: Topology): Replay {
  const cache = file.config['statestore.cache.max.bytes'];
  // Kafka's internal emit-interval configs, which its TopologyTestDriver sets to 0 unless a case gives them.
  const outerJoinNonMatches = file.config['__emit.interval.ms.kstreams.outer.join.spurious.results.fix__'];
  const onWindowClose = file.config['__emit.interval.ms.kstreams.windowed.aggregation__'];
  const applicationId = file.config['application.id'] ?? `conformance-${file.name}`;
  const driver = new TopologyTestDriver(topology, {
    applicationId,
    initialWallClockMs: file.initialWallClockMs,
    cacheMaxBytes: cache === undefined ? 10 * 1024 * 1024 : Number(cache),
    emitIntervalMs: {
      ...(outerJoinNonMatches !== undefined ? { outerJoinNonMatches: Number(outerJoinNonMatches) } : {}),
      ...(onWindowClose !== undefined ? { onWindowClose: Number(onWindowClose) } : {}),
    },
  });
  try {
    for (const op of file.inputs) {
      if (op.op === 'pipe') {
        driver.pipeRaw(op.topic, bytes(op.key), bytes(op.value), op.timestamp, op.headers.map((h) => ({ key: h.key, value: h.hex === null ? null : Buffer.from(h.hex, 'hex') })));
      } else {
        driver.advanceWallClockTime(op.ms);
      }
    }
    const declared = new Set(Object.keys(file.outputs));
    const outputs: Record<string, OutputJson[]> = {};
    for (const t of declared) outputs[t] = [];
    const order: [string, number][] = [];
    const internal: Record<string, OutputJson[]> = {};
    for (const r of driver.emitted) {
      if (r.topic.startsWith(`${applicationId}-`)) {
        (internal[r.topic] ??= []).push({ key: hex(r.key), value: hex(r.value), timestamp: r.timestamp, headers: headersOut(r.headers) });
      }
      if (!declared.has(r.topic)) continue;
      order.push([r.topic, outputs[r.topic]!.length]);
      outputs[r.topic]!.push({ key: hex(r.key), value: hex(r.value), timestamp: r.timestamp, headers: headersOut(r.headers) });
    }
    const stores: Replay['stores'] = {};
    for (const name of Object.keys(file.stores)) {
      const spec = topology.graph.stores.get(name);
      const store = driver.getStateStore<{ keySerde: { serialize(t: string, v: unknown): Uint8Array | null }; valueSerde: { serialize(t: string, v: unknown): Uint8Array | null }; all(): Iterable<{ key: unknown; value: unknown }>; topic: string }>(name);
      const rows: Replay['stores'][string] = [];
      for (const e of store.all()) {
        let v = store.valueSerde.serialize(store.topic, e.value);
        // DSL stores hold Kafka's ValueAndTimestamp bytes; the JSON has the plain value.
        if (v !== null && spec?.type.startsWith('timestamped')) v = v.subarray(8);
        rows.push({ key: hex(store.keySerde.serialize(store.topic, e.key)), value: hex(v) });
      }
      stores[name] = rows;
    }
    const uncompared = new Set<string>();
    for (const n of topology.graph.nodes) {
      if (n.kind === 'processor' && n.op === 'tableSuppress') uncompared.add(`${applicationId}-${n.bufferName}-changelog`);
    }
    return { outputs, order, stores, internal, uncompared, describe: topology.describe() };
  } finally {
    driver.close();
  }
}

function sameRecord(e: InternalRecordJson, g: InternalRecordJson): boolean {
  return e.key?.hex === g.key?.hex && (e.key === null) === (g.key === null) && e.value?.hex === g.value?.hex && (e.value === null) === (g.value === null) &&
    e.timestamp === g.timestamp && JSON.stringify(e.headers) === JSON.stringify(g.headers);
}

/** The first difference between Kafka Streams' result and ours, as a readable message; undefined if equal. */
export function firstDifference(file: CaseFile, ours: Replay): string | undefined {
  const fmt = (r: InternalRecordJson | undefined) =>
    r === undefined ? '(nothing)' : `key=${r.key ? r.key.hex + (r.key.text !== undefined ? ` (${JSON.stringify(r.key.text)})` : '') : 'null'} value=${r.value ? r.value.hex + (r.value.text !== undefined ? ` (${JSON.stringify(r.value.text)})` : '') : 'null'} ts=${r.timestamp} headers=${JSON.stringify(r.headers)}`;
  for (const topic of Object.keys(file.outputs)) {
    const exp = file.outputs[topic]!;
    const got = ours.outputs[topic] ?? [];
    const n = Math.max(exp.length, got.length);
    for (let i = 0; i < n; i++) {
      const e = exp[i];
      const g = got[i];
      if (!(e && g && sameRecord(e, g))) {
        return `topic '${topic}' record #${i} differs (Kafka Streams emitted ${exp.length}, we emitted ${got.length}):\n  Kafka Streams: ${fmt(e)}\n  ts-streams:    ${fmt(g)}\n` +
          `Kafka Streams' topology:\n${file.describe}\nOurs:\n${ours.describe}`;
      }
    }
  }
  const eo = JSON.stringify(file.order);
  const go = JSON.stringify(ours.order);
  if (eo !== go) return `the global order across output topics differs:\n  Kafka Streams: ${eo}\n  ts-streams:    ${go}`;
  for (const [name, rows] of Object.entries(file.stores)) {
    const got = ours.stores[name] ?? [];
    const e = JSON.stringify(rows.map((r) => [r.key?.hex ?? null, r.value?.hex ?? null]));
    const g = JSON.stringify(got.map((r) => [r.key?.hex ?? null, r.value?.hex ?? null]));
    if (e !== g) return `store '${name}' contents differ:\n  Kafka Streams: ${e}\n  ts-streams:    ${g}`;
  }
  // Internal topics: what a Java Kafka Streams deployment of the same application id would restore from or read.
  const expTopics = Object.keys(file.internal).filter((t) => !ours.uncompared.has(t)).sort();
  const gotTopics = Object.keys(ours.internal).filter((t) => !ours.uncompared.has(t)).sort();
  if (JSON.stringify(expTopics) !== JSON.stringify(gotTopics)) {
    return `internal topics differ:\n  Kafka Streams: ${JSON.stringify(expTopics)}\n  ts-streams:    ${JSON.stringify(gotTopics)}`;
  }
  for (const topic of expTopics) {
    const exp = file.internal[topic]!;
    const got = ours.internal[topic]!;
    for (let i = 0; i < Math.max(exp.length, got.length); i++) {
      const e = exp[i];
      const g = got[i];
      if (!(e && g && sameRecord(e, g))) {
        return `internal topic '${topic}' record #${i} differs (Kafka Streams wrote ${exp.length}, we wrote ${got.length}):\n  Kafka Streams: ${fmt(e)}\n  ts-streams:    ${fmt(g)}`;
      }
    }
  }
  // Generated names become internal topic names (repartition, changelog), so the topology must describe the same.
  if (ours.describe !== file.describe) {
    return `describe() differs from Kafka Streams' (- Kafka Streams, + ts-streams):\n${lineDiff(file.describe, ours.describe)}`;
  }
  return undefined;
}
