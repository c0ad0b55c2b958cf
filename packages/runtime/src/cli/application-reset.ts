import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { StateDirectory, StateDirectoryLockedError } from '@ts-streams/state';
import type { Topology } from '@ts-streams/dsl';
import type { KafkaAdmin } from '../client/kafka-admin.ts';
import type { TopicPartition } from '../io/topic-partition.ts';
import { CliError } from './cli-error.ts';
import { display } from './load-module.ts';

/**
 * Kafka Streams' application reset tool, for `streams reset` and `streams run --from-beginning`: the application's
 * committed offsets on its input topics go back to the beginning, its internal topics are deleted and its local state
 * (<stateDir>/<applicationId>) is removed, so that its next run reprocesses the input from scratch — counted once,
 * not over the state of the runs before.
 *
 * Made in two steps: prepare() takes the local state directory's lock (an instance running on this machine is a
 * CliError naming its pid) and says what would change (`plan`); apply() changes it. release() gives the lock back
 * either way.
 */
export class ApplicationReset {
  private constructor(
    private readonly admin: KafkaAdmin,
    private readonly applicationId: string,
    private readonly appStateDir: string,
    private local: StateDirectory | undefined,
    private readonly partitions: readonly TopicPartition[],
    private readonly internal: readonly string[],
    /** What apply() will do, a line each. */
    readonly plan: readonly string[],
  ) {}

  /**
   * Locks the application's local state directory, if there is one. Done before connecting to the cluster: an
   * instance of the application started meanwhile on this machine waits for the reset.
   */
  static lockLocalState(stateDir: string, applicationId: string): StateDirectory | undefined {
    const appStateDir = join(stateDir, applicationId);
    if (!existsSync(appStateDir)) return undefined;
    try {
      return StateDirectory.lock(appStateDir);
    } catch (e) {
      if (!(e instanceof StateDirectoryLockedError)) throw e;
      throw new CliError(`Application ${applicationId} is running: process ${e.pid} on ${e.hostname} holds ${display(appStateDir)}. Stop it (Ctrl-C), then reset.`, 1, { cause: e });
    }
  }

  /** What resetting the application would change, the local state locked by lockLocalState (undefined: none here). */
  static async prepare(
    admin: KafkaAdmin,
    topology: Topology,
    options: { readonly applicationId: string; readonly stateDir: string; readonly local: StateDirectory | undefined },
  ): Promise<ApplicationReset> {
    const { applicationId, local } = options;
    const appStateDir = join(options.stateDir, applicationId);
    try {
      const inputs = [...new Set(topology.subtopologies.flatMap((st) => st.sourceTopics))].sort();
      const described = await admin.describeTopics(inputs);
      const partitions = inputs.flatMap((topic) => Array.from({ length: described.get(topic)?.partitions ?? 0 }, (_, partition) => ({ topic, partition })));
      const internal = (await admin.listTopics())
        .filter((t) => t.startsWith(`${applicationId}-`) && (t.endsWith('-changelog') || t.endsWith('-repartition')))
        .sort();
      const plan = [
        partitions.length > 0
          ? `its committed offsets on ${inputs.filter((t) => described.get(t) !== undefined).join(', ')} go back to the beginning`
          : 'no input topic exists: no offsets to reset',
        internal.length > 0 ? `its internal topics are deleted: ${internal.join(', ')}` : 'it has no internal topics',
        local !== undefined ? `its local state ${display(appStateDir)} is removed` : 'it has no local state here',
      ];
      return new ApplicationReset(admin, applicationId, appStateDir, local, partitions, internal, plan);
    } catch (e) {
      local?.release();
      throw e;
    }
  }

  /** Resets the application as the plan says, then releases the local state's lock. */
  async apply(): Promise<void> {
    const earliest = await this.admin.listOffsets(this.partitions, 'earliest');
    try {
      await this.admin.alterCommittedOffsets(this.applicationId, earliest);
    } catch (e) {
      throw new CliError(`Cannot reset application ${this.applicationId}: ${(e as Error).message}`, 1, { cause: e });
    }
    await this.admin.deleteTopics(this.internal);
    if (this.local !== undefined) {
      this.release();
      rmSync(this.appStateDir, { recursive: true, force: true });
    }
  }

  release(): void {
    this.local?.release();
    this.local = undefined;
  }
}
