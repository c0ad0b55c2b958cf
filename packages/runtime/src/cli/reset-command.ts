// `streams reset <topology>`: Kafka Streams' application reset tool.
import { createInterface } from 'node:readline/promises';
import { CliError } from './cli-error.ts';
import { parseFlags } from './parse-flags.ts';
import { describeTarget } from './client-for.ts';
import { openCluster } from './open-cluster.ts';
import { loadTopology } from './load-topology.ts';
import { APP_FLAGS, appSettings } from './app-settings.ts';
import { ApplicationReset } from './application-reset.ts';

export async function reset(args: readonly string[]): Promise<number> {
  const { flags, positionals } = parseFlags('reset', args, { ...APP_FLAGS, yes: { type: 'boolean' } }, { names: ['topology'], required: 1 });
  const loaded = await loadTopology(positionals[0]!);
  const { applicationId, target, stateDir } = await appSettings('reset', loaded, flags);
  const local = ApplicationReset.lockLocalState(stateDir, applicationId);
  const cluster = await openCluster(target, { clientId: `${applicationId}-reset` }).catch((e: unknown) => {
    local?.release();
    throw e;
  });
  let resetting: ApplicationReset | undefined;
  try {
    resetting = await ApplicationReset.prepare(cluster.admin, loaded.topology, { applicationId, stateDir, local });
    process.stdout.write(`Resetting application ${applicationId} on ${describeTarget(target)}:\n${resetting.plan.map((l) => `  - ${l}`).join('\n')}\n`);
    if (flags.yes !== true && !(await confirmed())) {
      process.stdout.write('Nothing was changed.\n');
      return 1;
    }
    await resetting.apply();
    process.stdout.write(`Application ${applicationId} is reset: its next run reads its input from the beginning.\n`);
    return 0;
  } finally {
    resetting?.release();
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
