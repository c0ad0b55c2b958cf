// `streams reset <topology>`: Kafka Streams' application reset tool.
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { StateDirectory, StateDirectoryLockedError } from '@ts-streams/state';
import { CliError } from './cli-error.ts';
import { parseFlags } from './parse-flags.ts';
import { describeTarget } from './client-for.ts';
import { openCluster } from './open-cluster.ts';
import { loadTopology } from './load-topology.ts';
import { APP_FLAGS, appSettings } from './app-settings.ts';
import { display } from './load-module.ts';

export async function reset(args: readonly string[]): Promise<number> {
  const { flags, positionals } = parseFlags('reset', args, { ...APP_FLAGS, yes: { type: 'boolean' } }, { names: ['topology'], required: 1 });
  const loaded = await loadTopology(positionals[0]!);
  const { applicationId, target, stateDir } = await appSettings('reset', loaded, flags);
  const appStateDir = join(stateDir, applicationId);

  // Held while resetting: an instance of the application started meanwhile on this machine waits for it.
  let local: StateDirectory | undefined;
  if (existsSync(appStateDir)) {
    try {
      local = StateDirectory.lock(appStateDir);
    } catch (e) {
      if (!(e instanceof StateDirectoryLockedError)) throw e;
      throw new CliError(`Application ${applicationId} is running: process ${e.pid} on ${e.hostname} holds ${display(appStateDir)}. Stop it (Ctrl-C), then reset.`, 1, { cause: e });
    }
  }
  const cluster = await openCluster(target, { clientId: `${applicationId}-reset` }).catch((e: unknown) => {
    local?.release();
    throw e;
  });
  try {
    const inputs = [...new Set(loaded.topology.subtopologies.flatMap((st) => st.sourceTopics))].sort();
    const described = await cluster.admin.describeTopics(inputs);
    const partitions = inputs.flatMap((topic) => Array.from({ length: described.get(topic)?.partitions ?? 0 }, (_, partition) => ({ topic, partition })));
    const internal = (await cluster.admin.listTopics())
      .filter((t) => t.startsWith(`${applicationId}-`) && (t.endsWith('-changelog') || t.endsWith('-repartition')))
      .sort();
    const plan = [
      partitions.length > 0
        ? `its committed offsets on ${inputs.filter((t) => described.get(t) !== undefined).join(', ')} go back to the beginning`
        : 'no input topic exists: no offsets to reset',
      internal.length > 0 ? `its internal topics are deleted: ${internal.join(', ')}` : 'it has no internal topics',
      local !== undefined ? `its local state ${display(appStateDir)} is removed` : 'it has no local state here',
    ];
    process.stdout.write(`Resetting application ${applicationId} on ${describeTarget(target)}:\n${plan.map((l) => `  - ${l}`).join('\n')}\n`);
    if (flags.yes !== true && !(await confirmed())) {
      process.stdout.write('Nothing was changed.\n');
      return 1;
    }

    const earliest = await cluster.admin.listOffsets(partitions, 'earliest');
    try {
      await cluster.admin.alterCommittedOffsets(applicationId, earliest);
    } catch (e) {
      throw new CliError(`Cannot reset application ${applicationId}: ${(e as Error).message}`, 1, { cause: e });
    }
    await cluster.admin.deleteTopics(internal);
    if (local !== undefined) {
      local.release();
      local = undefined;
      rmSync(appStateDir, { recursive: true, force: true });
    }
    process.stdout.write(`Application ${applicationId} is reset: its next run reads its input from the beginning.\n`);
    return 0;
  } finally {
    local?.release();
    await cluster.close();
  }
}

/** Asks on the terminal; without one (stdin piped), says to pass --yes. */
async function confirmed(): Promise<boolean> {
  if (!process.stdin.isTTY) {
    throw new CliError('it asks before it changes anything, and stdin is not a terminal to ask on: pass --yes to reset without asking.', 2);
  }
  const prompt = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await prompt.question('Proceed? [y/N] ')).trim());
  } finally {
    prompt.close();
  }
}
