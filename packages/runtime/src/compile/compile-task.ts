import type { Topology, Serde, SourceNode, StoreSpec } from '@ts-streams/dsl';
import { NO_HEADERS, sendOldValuesFor } from '@ts-streams/dsl';
import type { RecordCache } from '@ts-streams/state';
import type { RecordSink } from '../io/record-sink.ts';
import type { CompileEnv } from './compile-env.ts';
import { RuntimeNode } from './runtime-node.ts';
import { StreamTask, type TaskSource, type TaskIo } from '../task/stream-task.ts';
import { TaskMetrics } from '../task/task-metrics.ts';
import { createProcessor } from '../processors/registry.ts';
import { sink as sinkProcessor } from '../processors/sink.ts';
import { passThrough } from '../processors/pass-through.ts';
import { createTaskStores, attachStoreHooks, cacheNameOf } from '../state/task-stores.ts';
import type { InnerStore } from '../state/persistent-stores.ts';
import type { TaskStateManager } from '../state/task-state-manager.ts';
import { repartitionsKeepingNullKeys } from './null-key-repartitions.ts';
import { emitIntervals, APPLICATION_EMIT_INTERVALS, type EmitIntervals } from './emit-intervals.ts';
import { StreamsError } from '../errors/streams-error.ts';
import { changelogTopic, repartitionTopic } from '../topics/internal-topic-names.ts';

export interface CompileTaskOptions {
  readonly topology: Topology;
  readonly applicationId: string;
  /** Sub-topologies this task runs (the test driver runs all of them in one task, as Kafka's does). */
  readonly subtopologies: readonly number[];
  readonly partition: number;
  readonly sink: RecordSink;
  readonly cache: RecordCache;
  readonly wallClock: () => number;
  /** Include the global-store sub-topologies' nodes (the driver's global task). */
  readonly globals?: boolean;
  /** Stores built elsewhere that this task's processors may read (global stores, owned by the global task). */
  readonly sharedStores?: ReadonlyMap<string, import('@ts-streams/state').StateStore>;
  /** Opened persistent (RocksDB) bytes stores by store name; stores not in it are kept in memory. */
  readonly innerStores?: ReadonlyMap<string, InnerStore>;
  /** Checkpoints the task's persistent stores (TaskStateManager.of(openPersistentStores(...))); none when absent (the driver). */
  readonly stateManager?: TaskStateManager;
  /**
   * max.task.idle.ms (see PartitionGroup): absent = never wait for an empty partition, as the TopologyTestDriver
   * (every partition always fetched and caught up). The Kafka runtime passes its config (Kafka's default 0) and
   * tells the task what each fetch found (StreamTask#updateLag). The global task never waits.
   */
  readonly maxTaskIdleMs?: number;
  /** buffered.records.per.partition (default 1000, as Kafka): see StreamTask#partitionsToPause. */
  readonly bufferedRecordsPerPartition?: number;
  /** Wall-clock emit intervals; default a running Kafka Streams application's (1000 ms each). */
  readonly emitIntervalMs?: Partial<EmitIntervals>;
  /** deserialization.exception.handler (see TaskIo#onDeserializationError); absent: a record that cannot be read fails. */
  readonly onDeserializationError?: TaskIo['onDeserializationError'];
}

/** Which nodes and stores a task of these options holds, and its id (sub-topologies + partition, or 'global'). */
export function taskPlan(opts: Pick<CompileTaskOptions, 'topology' | 'subtopologies' | 'partition' | 'globals'>): { taskId: string; nodeNames: Set<string>; storeNames: Set<string> } {
  const graph = opts.topology.graph;
  const taskId = opts.globals ? 'global' : `${opts.subtopologies.join('+')}_${opts.partition}`;
  const nodeNames = new Set<string>();
  for (const st of opts.topology.subtopologies) if (opts.subtopologies.includes(st.id)) for (const n of st.nodes) nodeNames.add(n);
  if (opts.globals) for (const g of opts.topology.globalStores) { nodeNames.add(g.source); nodeNames.add(g.processor); }
  const storeNames = new Set<string>();
  for (const name of nodeNames) {
    const n = graph.node(name);
    if (n.kind === 'processor') for (const s of n.stores) storeNames.add(s);
  }
  return { taskId, nodeNames, storeNames };
}

/** The specs of the stores a task owns (not the shared ones). */
export function taskStoreSpecs(opts: Pick<CompileTaskOptions, 'topology' | 'subtopologies' | 'partition' | 'globals' | 'sharedStores'>): StoreSpec[] {
  return ownSpecs(opts.topology, taskPlan(opts).storeNames, opts.sharedStores);
}

function ownSpecs(topology: Topology, storeNames: ReadonlySet<string>, shared: ReadonlyMap<string, unknown> | undefined): StoreSpec[] {
  return [...storeNames].filter((s) => !shared?.has(s)).map((s) => topology.graph.stores.get(s)!);
}

/**
 * Compiles part of a logical topology into a task: one processor instance per graph node, wired to its
 * children, stores built from their specs, sources indexed by topic. Processors come from
 * processors/registry.ts by the node's `op`; nothing here knows any operator.
 */
export function compileTask(opts: CompileTaskOptions): StreamTask {
  const { topology, applicationId } = opts;
  const graph = topology.graph;
  const { taskId, nodeNames, storeNames } = taskPlan(opts);
  const resolveTopic = (t: string, internal: boolean) => (internal ? repartitionTopic(applicationId, t) : t);
  const keySerde = (s: Serde<any> | undefined, step: string): Serde<any> => {
    const r = s ?? topology.defaultKeySerde;
    if (!r) throw new StreamsError(`Step '${step}' needs a key serde and none is known; pass one or set defaultKeySerde.`);
    return r;
  };
  const valueSerde = (s: Serde<any> | undefined, step: string): Serde<any> => {
    const r = s ?? topology.defaultValueSerde;
    if (!r) throw new StreamsError(`Step '${step}' needs a value serde and none is known; pass one or set defaultValueSerde.`);
    return r;
  };
  let task!: StreamTask;
  const shared = opts.sharedStores ?? new Map();
  const specs = ownSpecs(topology, storeNames, shared);
  // Changelog topic per store, built once (a string made per record would be re-hashed by every lookup), and
  // whether the sink wants it at all.
  const changelogTopics = new Map<string, { readonly topic: string; readonly discard: boolean }>();
  const changelogOf = (storeName: string): { readonly topic: string; readonly discard: boolean } => {
    let log = changelogTopics.get(storeName);
    if (log === undefined) {
      const topic = changelogTopic(applicationId, storeName);
      changelogTopics.set(storeName, (log = { topic, discard: opts.sink.discards?.(topic) ?? false }));
    }
    return log;
  };
  const { stores, hooks } = createTaskStores(specs, {
    taskId, applicationId, cache: opts.cache, ...(opts.innerStores ? { inner: opts.innerStores } : {}),
    changelog: {
      send(storeName, rec) {
        const log = changelogOf(storeName);
        if (log.discard) return;
        opts.sink.send({ topic: log.topic, partition: opts.partition, key: rec.key, value: rec.value, timestamp: rec.timestamp, headers: NO_HEADERS });
      },
      discards: (storeName) => changelogOf(storeName).discard,
    },
    // The record the writing processor was handed (a forwarded record's timestamp, as Kafka's record context).
    timestamp: () => (task?.inRecordContext ? task.currentTimestamp : task?.streamTime ?? -1),
    headers: () => (task?.inRecordContext ? task.currentHeaders : NO_HEADERS),
    keySerde, valueSerde,
  });
  const metrics = new TaskMetrics();
  const oldValues = sendOldValuesFor(graph);
  const env: CompileEnv = {
    topology, applicationId, sink: opts.sink, metrics, cacheMaxBytes: opts.cache.maxBytes,
    emitIntervalMs: emitIntervals(opts.emitIntervalMs, APPLICATION_EMIT_INTERVALS),
    keySerde, valueSerde,
    storeSpec: (name) => {
      const s = graph.stores.get(name);
      if (!s) throw new StreamsError(`Unknown store '${name}'.`);
      return s;
    },
    resolveTopic,
    sendOldValues: oldValues,
    repartitionKeepsNullKeys: repartitionsKeepingNullKeys(graph),
  };
  const nodes = new Map<string, RuntimeNode>();
  for (const gn of graph.nodes) {
    if (!nodeNames.has(gn.name)) continue;
    let processor;
    if (gn.kind === 'source') processor = passThrough();
    else if (gn.kind === 'sink') processor = sinkProcessor(gn, env);
    else processor = createProcessor(gn, env);
    nodes.set(gn.name, new RuntimeNode(gn.name, processor, gn.kind === 'processor' ? gn.stores : []));
  }
  for (const gn of graph.nodes) {
    if (!nodes.has(gn.name)) continue;
    for (const p of gn.parents) nodes.get(p)?.addChild(nodes.get(gn.name)!);
  }
  const sources = new Map<string, TaskSource>();
  for (const gn of graph.nodes) {
    if (gn.kind !== 'source' || !nodes.has(gn.name)) continue;
    const src = gn as SourceNode;
    for (const t of src.topics) {
      sources.set(resolveTopic(t, src.internal), {
        node: nodes.get(src.name)!,
        keySerde: keySerde(src.keySerde, src.name),
        valueSerde: valueSerde(src.valueSerde, src.name),
        timestampExtractor: src.timestampExtractor,
      });
    }
  }
  const visible = new Map([...stores, ...shared]);
  task = new StreamTask(taskId, applicationId, opts.partition, sources, nodes, visible, stores, opts.wallClock, metrics, (ctx) => attachStoreHooks(ctx, hooks), {
    sink: opts.sink, ...(opts.stateManager ? { stateManager: opts.stateManager } : {}),
    ...(opts.maxTaskIdleMs !== undefined && !opts.globals ? { maxTaskIdleMs: opts.maxTaskIdleMs } : {}),
    ...(opts.bufferedRecordsPerPartition !== undefined ? { bufferedRecordsPerPartition: opts.bufferedRecordsPerPartition } : {}),
    ...(opts.onDeserializationError !== undefined ? { onDeserializationError: opts.onDeserializationError } : {}),
    discardCaches: () => {
      for (const spec of specs) if (hooks.isCaching(spec.name)) opts.cache.remove(cacheNameOf(taskId, spec.name));
    },
  });
  task.initialize();
  return task;
}
