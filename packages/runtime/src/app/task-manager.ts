import { readdirSync, rmSync } from 'node:fs';
import { Subject, forkJoin, Observable, take, type Subscription } from 'rxjs';
import type { Topology, StoreSpec } from '@ts-streams/dsl';
import { CheckpointFile, checkpointKey, type RecordCache, type StateDirectory, type StateStore } from '@ts-streams/state';
import type { GroupConsumer } from '../client/group-consumer.ts';
import type { AssignedConsumer } from '../client/assigned-consumer.ts';
import type { KafkaAdmin } from '../client/kafka-admin.ts';
import type { MemberAssignment } from '../client/group-assignor.ts';
import type { FetchedPartition } from '../client/fetched-partition.ts';
import type { TopicPartition } from '../io/topic-partition.ts';
import type { TopicPartitionOffset } from '../io/topic-partition-offset.ts';
import type { RecordSink } from '../io/record-sink.ts';
import { compileTask, taskStoreSpecs } from '../compile/compile-task.ts';
import type { StreamTask } from '../task/stream-task.ts';
import { openPersistentStores, isPersistent, closeInner, type InnerStore } from '../state/persistent-stores.ts';
import { TaskStateManager } from '../state/task-state-manager.ts';
import { processRecords, DEFAULT_SLICE, type InputBatch, type BatchResult } from '../operators/process-records.ts';
import { decodeAssignmentInfo } from '../assignment/assignment-info.ts';
import { AssignorError, assignorErrorName } from '../assignment/assignor-error.ts';
import { tasksOfPartitions } from '../assignment/task-partitions.ts';
import { TaskId } from '../assignment/task-id.ts';
import type { TaskOffsetSum } from '../assignment/subscription-info.ts';
import { changelogTopic } from '../topics/internal-topic-names.ts';
import { StreamsError } from '../errors/streams-error.ts';
import { ClientError } from '../errors/client-error.ts';
import type { ResolvedStreamsConfig } from './streams-config.ts';
import type { MemberTasks } from './streams-group-assignor.ts';
import { restoreChangelogs, type RestorePartition, type RestoredPartition } from './changelog-restorer.ts';
import { withRetries } from './with-retries.ts';
import { readTopicPartitionMetadata } from '../task/topic-partition-metadata.ts';

/** A task this instance runs: the compiled task, its partitions, its stores on disk and its RxJS pipeline. */
interface ActiveTask {
  readonly id: TaskId;
  readonly task: StreamTask;
  readonly partitions: readonly TopicPartition[];
  readonly inner: ReadonlyMap<string, InnerStore>;
  /** Each poll's batches of the task's partitions go in here, as one input; processRecords(task) runs them in slices. */
  readonly input$: Subject<readonly InputBatch[]>;
  /** One result per input pushed, when its last slice is done. */
  readonly done$: Subject<BatchResult>;
  readonly subscription: Subscription;
}

export interface TaskManagerEnv {
  readonly topology: Topology;
  readonly config: ResolvedStreamsConfig;
  readonly stateDir: StateDirectory;
  /** `<stateDir>/<applicationId>`: where the task directories are. */
  readonly appStateDir: string;
  readonly cache: RecordCache;
  readonly sink: RecordSink;
  readonly consumer: GroupConsumer;
  readonly restoreConsumer: AssignedConsumer;
  readonly admin: KafkaAdmin;
  /** The global stores, readable by every task. */
  readonly sharedStores: ReadonlyMap<string, StateStore>;
  readonly log: (line: string) => void;
  /** True once the application is shutting down: restoration stops early. */
  readonly stopped: () => boolean;
  /** The application's repartition topics: what it reads of them is deleted once committed (purge()). */
  readonly repartitionTopics: ReadonlySet<string>;
}

/**
 * The tasks of this instance through rebalances (Kafka Streams' TaskManager, active tasks, eager rebalancing): opens
 * the tasks of an assignment (stores opened, checkpoint read, restored from the changelogs, then processing), commits
 * them (at-least-once: prepareCommit → sink flushed → input offsets committed → checkpoint; exactly-once, when the
 * sink has a transaction: prepareCommit → the transaction committed with the input offsets, checkpoints only at a
 * clean close), closes them cleanly on revoke and dirty on loss or error, and routes each poll's batches to the
 * tasks' pipelines.
 */
export class TaskManager {
  private readonly active = new Map<string, ActiveTask>();
  private readonly byPartition = new Map<string, ActiveTask>();
  /** What restoration did, for metrics(). */
  readonly restored: RestoredPartition[] = [];
  /**
   * Tasks whose last commit was refused after their prepareCommit (which marks them committed): they commit again at
   * the next commit even with nothing new processed, or their offsets would stay behind their state.
   */
  private readonly commitPending = new Set<StreamTask>();
  /** Per repartition partition, the offset committed last and not yet purged (see purge()). */
  private readonly purgeable = new Map<string, TopicPartitionOffset>();
  private lastPurge = 0;
  /** The member's assignment as last given (revive() opens its tasks again). */
  private lastAssignment: MemberAssignment | undefined;
  private purging: Promise<void> | undefined;

  constructor(private readonly env: TaskManagerEnv) {}

  get tasks(): readonly StreamTask[] {
    return [...this.active.values()].map((a) => a.task);
  }

  /** For the assignor's subscription: the tasks running, and the others with a checkpoint on disk (offset sums). */
  memberTasks(): MemberTasks {
    const ownedTasks = [...this.active.values()].map((a) => a.id);
    const taskOffsetSums: TaskOffsetSum[] = [];
    let entries: string[] = [];
    try {
      entries = readdirSync(this.env.appStateDir);
    } catch {
      // no state directory yet: no state
    }
    for (const name of entries) {
      if (!/^\d+_\d+$/.test(name) || this.active.has(name)) continue;
      const checkpoint = new CheckpointFile(this.env.stateDir.checkpointPath(name));
      try {
        if (!checkpoint.exists()) continue;
        let sum = 0;
        for (const offset of checkpoint.read().values()) sum += offset;
        taskOffsetSums.push({ task: TaskId.parse(name), offsetSum: sum });
      } catch {
        // an unreadable checkpoint vouches for nothing: the task counts as having no state here
      }
    }
    return { ownedTasks, taskOffsetSums };
  }

  /**
   * The member's assignment after a rebalance: stops on an error the leader sent, opens the tasks it names that are
   * not running here, and restores their stores before any of their records is processed.
   */
  async assigned(assignment: MemberAssignment): Promise<void> {
    this.lastAssignment = assignment;
    const info = decodeAssignmentInfo(Buffer.from(assignment.userData.buffer, assignment.userData.byteOffset, assignment.userData.byteLength));
    if (info.errorCode !== AssignorError.NONE) {
      throw new StreamsError(`The group leader could not assign tasks (${assignorErrorName(info.errorCode)}): ${info.errorMessage}`);
    }
    const { topology, config } = this.env;
    const opened: ActiveTask[] = [];
    let restore: RestorePartition[] = [];
    try {
      for (const { task: id, partitions } of tasksOfPartitions(topology, config.applicationId, assignment.partitions)) {
        if (this.active.has(id.toString())) continue;
        const { active, restorePartitions } = await this.open(id, partitions);
        opened.push(active);
        restore.push(...restorePartitions);
      }
      while (restore.length > 0) {
        const { restored, corrupted } = await restoreChangelogs(this.env.admin, this.env.restoreConsumer, restore, {
          maxPollRecords: config.maxPollRecords, pollMs: config.pollMs, log: this.env.log, stopped: this.env.stopped, retryMs: config.taskTimeoutMs,
        });
        this.restored.push(...restored);
        // Stores whose changelog lost their checkpointed offset: wiped, their tasks reopened, restored from the start.
        restore = [];
        for (const a of new Set(corrupted.map((p) => opened.find((o) => o.task === p.task)!))) {
          const reopened = await this.wipeAndReopen(a, corrupted.filter((p) => p.task === a.task));
          opened[opened.indexOf(a)] = reopened.active;
          restore.push(...reopened.restorePartitions.filter((p) => corrupted.some((c) => c.task === a.task && c.store === p.store)));
        }
      }
      await this.initializePartitionTimes(opened);
    } catch (e) {
      for (const a of opened) await this.closeDirty(a);
      throw e;
    }
    for (const a of opened) {
      this.active.set(a.id.toString(), a);
      for (const tp of a.partitions) this.byPartition.set(key(tp), a);
    }
    if (opened.length > 0) this.env.log(`Running tasks ${[...this.active.keys()].join(', ')}.`);
  }

  /**
   * New tasks' input partitions start from the partition times committed with their offsets, and the tasks from the
   * processor metadata committed with them (Kafka Streams' StreamTask#initializeMetadata): one read of the group's
   * committed offsets, their metadata decoded; a partition with none (nothing committed, or metadata of another
   * writer) starts unknown, as in Kafka Streams. Before any record of the tasks is processed.
   */
  private async initializePartitionTimes(opened: readonly ActiveTask[]): Promise<void> {
    const taskOf = new Map<string, StreamTask>();
    for (const a of opened) for (const tp of a.partitions) taskOf.set(key(tp), a.task);
    if (taskOf.size === 0) return;
    const partitions = opened.flatMap((a) => a.partitions);
    const committed = await withRetries(() => this.env.consumer.committed(partitions), {
      what: `read the committed offsets of ${partitions.length} partitions`,
      deadlineMs: this.env.config.taskTimeoutMs,
      log: this.env.log,
      hint: `Check that the brokers are up; to keep trying longer, raise taskTimeoutMs (${this.env.config.taskTimeoutMs} ms).`,
    });
    for (const c of committed) taskOf.get(key(c))?.initializeMetadata(c.topic, c.partition, c.offset, readTopicPartitionMetadata(c.metadata));
    // Exactly-once: the consumer's client may have read the offsets before the previous owner's transaction ended
    // (kafkajs reads them without require_stable); these were read stable (GroupConsumer#committed under
    // read_committed), so the partitions start there.
    if (this.env.sink.transaction !== undefined) {
      for (const c of committed) if (c.offset !== undefined) this.env.consumer.seek({ topic: c.topic, partition: c.partition, offset: c.offset });
    }
  }

  /**
   * A task (not yet processing) whose stores' changelogs no longer have their checkpointed offsets: closed dirty, the
   * stores' directories deleted and their offsets taken out of the checkpoint (those of its other stores stay: they
   * are restored again from there, which applies the same records again), then opened again — the wiped stores empty,
   * to be restored from the start of their changelogs.
   */
  private async wipeAndReopen(a: ActiveTask, corrupted: readonly RestorePartition[]): Promise<{ active: ActiveTask; restorePartitions: RestorePartition[] }> {
    const { stateDir } = this.env;
    const taskId = a.id.toString();
    await this.closeDirty(a);
    for (const p of corrupted) rmSync(stateDir.storeDir(taskId, p.store), { recursive: true, force: true });
    const checkpoint = new CheckpointFile(stateDir.checkpointPath(taskId));
    if (checkpoint.exists()) {
      const offsets = checkpoint.read();
      for (const p of corrupted) offsets.delete(checkpointKey(p.topic, p.partition));
      checkpoint.write(offsets);
    }
    return this.open(a.id, a.partitions);
  }

  private async closeDirty(a: ActiveTask): Promise<void> {
    a.subscription.unsubscribe();
    a.input$.complete();
    a.task.closeDirty();
    await Promise.all([...a.inner.values()].map((s) => closeInner(s)));
  }

  private async open(id: TaskId, partitions: readonly TopicPartition[]): Promise<{ active: ActiveTask; restorePartitions: RestorePartition[] }> {
    const { topology, config, stateDir, sharedStores } = this.env;
    const plan = { topology, subtopologies: [id.subtopology], partition: id.partition, sharedStores };
    const specs = taskStoreSpecs(plan);
    const opened = await openPersistentStores(specs, {
      stateDir, taskId: id.toString(), applicationId: config.applicationId, partition: id.partition, warn: this.env.log,
    });
    // A task without persistent stores has nothing to checkpoint (and no directory to write a checkpoint in).
    const stateManager = opened.inner.size > 0 ? TaskStateManager.of(opened) : undefined;
    // Exactly-once (as Kafka Streams' ProcessorStateManager under EOS): the checkpoint is read, then deleted, and
    // written again only by a clean close. A crash from here on leaves none, so the stores — which may hold writes
    // of a transaction that never committed — are wiped and rebuilt from their changelogs at the next start.
    if (this.env.sink.transaction !== undefined) opened.checkpoint.delete();
    const task = compileTask({
      ...plan, applicationId: config.applicationId, sink: this.env.sink, cache: this.env.cache, wallClock: Date.now,
      innerStores: opened.inner, ...(stateManager ? { stateManager } : {}), maxTaskIdleMs: config.maxTaskIdleMs,
      bufferedRecordsPerPartition: config.bufferedRecordsPerPartition, emitIntervalMs: config.emitIntervalMs,
      onDeserializationError: config.deserializationExceptionHandler === 'fail' ? () => 'fail' : (e) => {
        this.env.log(`Skipping a record the serdes cannot read (deserializationExceptionHandler 'log-and-continue'): ${e.message}`);
        return 'continue';
      },
    });
    const restorePartitions = specs.filter((s: StoreSpec) => s.logging).map((s): RestorePartition => {
      const topic = changelogTopic(config.applicationId, s.name);
      const tracked = isPersistent(s);
      return { task, store: s.name, topic, partition: id.partition, from: tracked ? stateManager?.offset(topic, id.partition) ?? 0 : 0, tracked };
    });
    const input$ = new Subject<readonly InputBatch[]>();
    const done$ = new Subject<BatchResult>();
    // The per-task operator: batches in, processed synchronously per record in slices that yield to the event loop.
    // Commits are the loop's (shouldCommit: never here), so that each one is a barrier across all tasks.
    const subscription = input$.pipe(processRecords(task, { commitEveryRecord: false, shouldCommit: () => false, slice: DEFAULT_SLICE })).subscribe(done$);
    return { active: { id, task, partitions, inner: opened.inner, input$, done$, subscription }, restorePartitions };
  }

  /**
   * Hands one poll's batches to the tasks, each task its own as one input (all queued before it processes any: see
   * TaskInput) — also to a task that got none, so that one waiting on max.task.idle.ms or holding records picks up
   * again — telling each its partitions' lag; completes once every task has processed what it may. Then pauses the
   * partitions whose queues are full and resumes those that drained.
   */
  process(fetched: readonly FetchedPartition[]): Observable<boolean> {
    return new Observable<boolean>((subscriber) => {
      const pushes = new Map<ActiveTask, InputBatch[]>();
      for (const a of this.active.values()) pushes.set(a, []);
      for (const f of fetched) {
        const a = this.byPartition.get(key(f));
        if (a === undefined) continue; // revoked meanwhile: the adapter should not return it
        a.task.updateLag(f.topic, f.partition, f.lag);
        pushes.get(a)!.push(f);
      }
      const waits: Observable<BatchResult>[] = [...pushes.keys()].map((a) => a.done$.pipe(take(1)));
      if (waits.length === 0) {
        subscriber.next(false);
        subscriber.complete();
        return undefined;
      }
      // Subscribed before the batches go in: a first slice runs at once and may finish within next().
      const subscription = forkJoin(waits).subscribe({
        next: (results) => {
          for (const a of this.active.values()) {
            const pause = a.task.partitionsToPause();
            if (pause.length > 0) this.env.consumer.pause(pause);
            const resume = a.task.partitionsToResume();
            if (resume.length > 0) this.env.consumer.resume(resume);
          }
          // A processor asked for a commit (ProcessorContext#commit): the loop commits now.
          subscriber.next(results.some((r) => r.committed) || this.tasks.some((t) => t.needsCommit));
          subscriber.complete();
        },
        error: (e) => subscriber.error(e),
      });
      for (const [a, batches] of pushes) a.input$.next(batches);
      return subscription;
    });
  }

  /** Wall-clock punctuators of every task, between rounds. */
  punctuateWallClock(): void {
    for (const a of this.active.values()) a.task.maybePunctuateWallClock();
  }

  /**
   * Commits tasks (default all), at-least-once (Kafka Streams' TaskManager#commit): each task's prepareCommit
   * (caches flushed downstream, input offsets snapshotted), then the sink's flush (every output and changelog record
   * acknowledged), then the input offsets through the group, then each task's postCommit (checkpoint of the
   * acknowledged changelog offsets). Nothing is committed that is not durable. No task processes meanwhile. Under a
   * transaction (exactly-once) the transaction's commit replaces the flush and the offset commit, and it covers
   * every task (its records are all in it), whatever `tasks` says; postCommit then writes no checkpoint.
   */
  async commit(tasks: readonly StreamTask[] = this.tasks): Promise<number> {
    const transaction = this.env.sink.transaction;
    // No task, nothing in the transaction (only tasks send): nothing to commit — and no group metadata to ask for,
    // which a member between a revoke and its next assignment does not have.
    if (transaction !== undefined && this.active.size === 0) return 0;
    // One transaction carries every task's records: committing it commits them all, with all their offsets.
    const dirty = (transaction === undefined ? tasks : this.tasks).filter((t) => t.hasUncommitted || t.needsCommit || this.commitPending.has(t));
    for (const t of dirty) this.commitPending.add(t);
    for (const t of dirty) t.prepareCommit();
    const offsets = dirty.flatMap((t) => t.preparedOffsetsWithMetadata());
    if (transaction !== undefined) {
      // Exactly-once: the outputs, changelog records and input offsets are committed together (RecordSink's
      // TransactionBoundary), then a new transaction is open for what the tasks send next.
      await transaction.commit(offsets);
      transaction.begin();
    } else {
      // The sink's producer retries a broker that does not answer, in place, for taskTimeoutMs; a flush that rejects
      // failed for good, and nothing of what it covers is committed.
      await this.env.sink.flush();
      if (offsets.length > 0) await this.commitOffsets(offsets);
    }
    for (const t of dirty) {
      this.commitPending.delete(t);
      t.postCommit();
    }
    for (const o of offsets) if (this.env.repartitionTopics.has(o.topic)) this.purgeable.set(key(o), o);
    return offsets.length;
  }

  /**
   * The group commit, tried again while no broker answers (a coordinator restarting or moving) for taskTimeoutMs:
   * committing the same offsets twice is harmless. 'rebalanced' (the member's generation is over) is thrown as is.
   */
  private commitOffsets(offsets: readonly TopicPartitionOffset[]): Promise<void> {
    return withRetries(() => this.env.consumer.commit(offsets), {
      what: `commit the offsets of ${offsets.length} partitions`,
      deadlineMs: this.env.config.taskTimeoutMs,
      log: this.env.log,
      hint: `Check that the brokers are up; to keep trying longer, raise taskTimeoutMs (${this.env.config.taskTimeoutMs} ms).`,
    });
  }

  /**
   * Deletes the records of repartition topics below the offsets committed for them since the last purge (Kafka
   * Streams' TaskManager#maybePurgeCommittedRecords): at most every repartitionPurgeIntervalMs, one request at a
   * time, in the background. A failure is logged, not fatal: the next purge asks again with newer offsets.
   */
  purge(now = Date.now()): void {
    if (this.purging !== undefined || this.purgeable.size === 0 || now - this.lastPurge < this.env.config.repartitionPurgeIntervalMs) return;
    const before = [...this.purgeable.values()];
    this.purgeable.clear();
    this.lastPurge = now;
    this.purging = this.env.admin.deleteRecords(before).then(
      () => undefined,
      (e: unknown) => {
        this.env.log(`Could not delete the consumed records of repartition topics (tried again after the next commit): ${(e as Error)?.message ?? String(e)}`);
        for (const o of before) if (!this.purgeable.has(key(o))) this.purgeable.set(key(o), o);
      },
    ).finally(() => {
      this.purging = undefined;
    });
  }

  /** Waits for what runs in the background (a purge) before the clients close. */
  async settle(): Promise<void> {
    await this.purging;
  }

  /**
   * The member gives up partitions (onRevoked: eager, all it owns; or close()): their tasks are committed and closed
   * cleanly — caches flushed, checkpoint written, state kept on disk for when the task comes back.
   */
  async revoked(partitions: readonly TopicPartition[]): Promise<void> {
    const affected = this.tasksOf(partitions);
    if (affected.length === 0) return;
    try {
      await this.commit(affected.map((a) => a.task));
    } catch (e) {
      // Under exactly-once a fenced producer commits nothing either: the transaction is aborted there (lost).
      const transactional = this.env.sink.transaction !== undefined;
      if (!(e instanceof ClientError && (e.reason === 'rebalanced' || (transactional && e.reason === 'fenced')))) throw e;
      // The generation ended before the commit got in (the group did not wait): the partitions are someone else's
      // now, and they read them from the last commit. As for lost partitions, close dirty.
      this.env.log(`The commit on revoking tasks ${affected.map((a) => a.id.toString()).join(', ')} came too late (${e.message}).`);
      await this.lost(partitions);
      return;
    }
    let error: unknown;
    for (const a of affected) {
      this.forget(a);
      try {
        a.task.closeClean();
      } catch (e) {
        error ??= e;
        a.task.closeDirty();
      }
      await Promise.all([...a.inner.values()].map((s) => closeInner(s)));
    }
    this.env.log(`Closed tasks ${affected.map((a) => a.id.toString()).join(', ')} cleanly.`);
    if (error !== undefined) throw error;
  }

  /**
   * The partitions are gone (onLost), or the application fails: their tasks close dirty, nothing committed. Under a
   * transaction shared by every task, it is aborted — which drops every task's uncommitted records — so every task
   * closes dirty and reprocesses from its committed offsets.
   */
  async lost(partitions: readonly TopicPartition[] | 'all'): Promise<void> {
    const transaction = this.env.sink.transaction;
    if (transaction !== undefined) await transaction.abort();
    const affected = partitions === 'all' || transaction !== undefined ? [...this.active.values()] : this.tasksOf(partitions);
    for (const a of affected) {
      this.forget(a);
      a.task.closeDirty();
      await Promise.all([...a.inner.values()].map((s) => closeInner(s)));
    }
    if (affected.length > 0) this.env.log(`Closed tasks ${affected.map((a) => a.id.toString()).join(', ')} dirty: they reprocess from their committed offsets.`);
  }

  /**
   * Exactly-once, after a transaction failed while the member kept its assignment (the producer was fenced: Kafka
   * Streams' TaskCorruptedException): lost('all') aborted it and closed every task dirty; the tasks of the last
   * assignment open again — their stores wiped and restored from the changelogs, as there is no checkpoint under
   * exactly-once until a clean close — and every input partition goes back to its committed offset (or its reset
   * policy's end when none is committed), so what the aborted transaction covered is processed again.
   */
  async revive(offsetReset: (topic: string) => 'earliest' | 'latest'): Promise<void> {
    const assignment = this.lastAssignment;
    if (assignment === undefined) return;
    await this.assigned(assignment);
    const partitions = [...this.active.values()].flatMap((a) => a.partitions);
    if (partitions.length === 0) return;
    const retry = { deadlineMs: this.env.config.taskTimeoutMs, log: this.env.log, hint: `Check that the brokers are up; to keep trying longer, raise taskTimeoutMs (${this.env.config.taskTimeoutMs} ms).` };
    const committed = await withRetries(() => this.env.consumer.committed(partitions), { what: `read the committed offsets of ${partitions.length} partitions`, ...retry });
    const missing = committed.filter((c) => c.offset === undefined);
    for (const c of committed) if (c.offset !== undefined) this.env.consumer.seek({ topic: c.topic, partition: c.partition, offset: c.offset });
    for (const which of ['earliest', 'latest'] as const) {
      const these = missing.filter((c) => offsetReset(c.topic) === which);
      if (these.length === 0) continue;
      const ends = await withRetries(() => this.env.admin.listOffsets(these, which), { what: `list the ${which} offsets of ${these.length} partitions`, ...retry });
      for (const o of ends) this.env.consumer.seek(o);
    }
  }

  private tasksOf(partitions: readonly TopicPartition[]): ActiveTask[] {
    const out = new Set<ActiveTask>();
    for (const tp of partitions) {
      const a = this.byPartition.get(key(tp));
      if (a !== undefined) out.add(a);
    }
    return [...out];
  }

  private forget(a: ActiveTask): void {
    this.commitPending.delete(a.task);
    a.subscription.unsubscribe();
    a.input$.complete();
    this.active.delete(a.id.toString());
    for (const tp of a.partitions) this.byPartition.delete(key(tp));
  }
}

function key(tp: TopicPartition): string {
  return `${tp.topic}\u0000${tp.partition}`;
}
