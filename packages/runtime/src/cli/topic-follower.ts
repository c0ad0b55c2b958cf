import { setTimeout as delay } from 'node:timers/promises';
import type { AssignedConsumer } from '../client/assigned-consumer.ts';
import type { FetchedPartition } from '../client/fetched-partition.ts';
import type { TopicPartition } from '../io/topic-partition.ts';
import { ClientError } from '../errors/client-error.ts';
import { LogSocketClient } from '../embedded/socket/log-socket-client.ts';
import { logAskedFor } from '../embedded/socket/log-handover.ts';
import { embeddedLogDir } from '../embedded/open-embedded-log.ts';
import type { Target } from './client-for.ts';
import { openCluster, type OpenCluster } from './open-cluster.ts';
import { openTopicReader, pollRecords } from './topic-reader.ts';

/** Where a partition is read from next: an offset, or its start until a poll resolves it. */
type Position = number | 'earliest';

/** How long it waits between tries while the log can be neither opened nor reached. */
const REOPEN_RETRY_MS = 1_000;

/** What a follower says as it goes (on stderr), and how it learns that the command is stopping. */
export interface FollowerOptions {
  readonly notice: (line: string) => void;
  readonly stopped: () => boolean;
}

/**
 * The reader of `streams tail`: every partition of a topic, from its start or its end, and where each has got to —
 * the offset after the records a poll returned.
 *
 * On the embedded log reached through the socket of a `streams run`, that run stopping (or hanging) is not the end of
 * the tail: the log is reached again — opened here, or through the socket of the run holding it by then — and read on
 * from the positions reached, so that no record is returned twice or missed (a poll's records arrive in one answer or
 * not at all, and a position moves only with what a poll returned). A tail that took the log over that way follows
 * the runs: when another process asks for the log (askForLog) — a new `streams run`, or a `streams produce` — it lets
 * go, and reaches the log again (through that run's socket, or opened once the other command is done).
 * (A tail started with no run holds the log as any command does: a run is refused until it stops.)
 */
export class TopicFollower {
  private readonly positions = new Map<number, Position>();
  /** Once it has read through a run's socket, it follows the runs (see above). */
  private followsRuns: boolean;

  private constructor(
    private readonly target: Target,
    private readonly partitions: readonly TopicPartition[],
    private cluster: OpenCluster | undefined,
    private reader: AssignedConsumer | undefined,
    private readonly options: FollowerOptions,
  ) {
    for (const tp of partitions) this.positions.set(tp.partition, reader!.position(tp) ?? 'earliest');
    this.followsRuns = cluster!.client instanceof LogSocketClient;
  }

  /** Opens the target and reads `topic` from its start or its end (as of now); undefined when the topic does not exist. */
  static async open(target: Target, topic: string, from: 'earliest' | 'latest', options: FollowerOptions): Promise<TopicFollower | undefined> {
    const cluster = await openCluster(target, { clientId: 'streams-tail' });
    try {
      const described = (await cluster.admin.describeTopics([topic])).get(topic);
      const reader = described === undefined ? undefined : await openTopicReader(cluster.client, cluster.admin, topic, from);
      if (reader === undefined) {
        await cluster.close();
        return undefined;
      }
      const partitions = Array.from({ length: described!.partitions }, (_, partition) => ({ topic, partition }));
      return new TopicFollower(target, partitions, cluster, reader, options);
    } catch (e) {
      await cluster.close();
      throw e;
    }
  }

  /**
   * The next records (pollRecords), the positions moved past them. Empty when the log was just reached again (or the
   * command is stopping while it waits to).
   */
  async poll(options: { readonly maxRecords: number; readonly timeoutMs: number }): Promise<readonly FetchedPartition[]> {
    if (this.reader === undefined) {
      await this.reopen();
      return [];
    }
    const asking = this.followsRuns && !this.throughSocket ? logAskedFor(embeddedLogDir(this.stateDir)) : undefined;
    if (asking !== undefined) {
      this.options.notice(`Process ${asking} (a 'streams run' starting, or another streams command) asks for the embedded log: handing it over, and reading on after it.`);
      await this.release();
      return [];
    }
    let batches: readonly FetchedPartition[];
    try {
      batches = await pollRecords(this.reader, options);
    } catch (e) {
      if (!(this.throughSocket && e instanceof ClientError && e.reason === 'unreachable')) throw e;
      this.options.notice(`${e.message.replace(/ Run the command again.*$| Resume it .*$/, '')} Reading on from where this tail had got to: no record is printed twice or missed.`);
      await this.release();
      return [];
    }
    for (const b of batches) this.positions.set(b.partition, b.nextOffset);
    return batches;
  }

  async close(): Promise<void> {
    await this.release();
  }

  private get throughSocket(): boolean {
    return this.cluster?.client instanceof LogSocketClient;
  }

  private get stateDir(): string {
    if (this.target.kind !== 'embedded') throw new Error('the Kafka target has no embedded log');
    return this.target.stateDir;
  }

  private async release(): Promise<void> {
    const { reader, cluster } = this;
    this.reader = undefined;
    this.cluster = undefined;
    await reader?.close().catch(() => undefined);
    await cluster?.close().catch(() => undefined);
  }

  /** Reaches the log again (opened here, or through the run holding it) and seeks every partition to its position. */
  private async reopen(): Promise<void> {
    let waiting = false;
    while (!this.options.stopped()) {
      let cluster: OpenCluster;
      try {
        cluster = await openCluster(this.target, { clientId: 'streams-tail' });
      } catch (e) {
        if (!(e instanceof ClientError && e.reason === 'unreachable')) throw e;
        if (!waiting) this.options.notice(`${e.message} (This tail waits, trying again every ${REOPEN_RETRY_MS / 1000} s; Ctrl-C to stop it.)`);
        waiting = true;
        await delay(REOPEN_RETRY_MS);
        continue;
      }
      try {
        const reader = cluster.client.assignedConsumer({ isolation: 'read_uncommitted', maxBufferedRecords: 2_000 });
        await reader.connect();
        reader.assign(this.partitions);
        for (const tp of this.partitions) reader.seek(tp, this.positions.get(tp.partition)!);
        this.cluster = cluster;
        this.reader = reader;
      } catch (e) {
        await cluster.close().catch(() => undefined);
        throw e;
      }
      if (cluster.client instanceof LogSocketClient) {
        this.followsRuns = true;
        this.options.notice(`Reading on through process ${cluster.client.pid}, the 'streams run' holding the embedded log now.`);
      } else {
        this.options.notice(`Reading on from the embedded log itself (no 'streams run' holds it); a 'streams run' started on it takes it over, and this tail reads on through that run.`);
      }
      return;
    }
  }
}
