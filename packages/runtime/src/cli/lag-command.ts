// `streams lag <topology>`: the application's committed offset, end offset and lag per input partition.
import { parseFlags } from './parse-flags.ts';
import { describeTarget } from './client-for.ts';
import { openCluster } from './open-cluster.ts';
import { loadTopology } from './load-topology.ts';
import { APP_FLAGS, appSettings } from './app-settings.ts';
import { groupLag } from './group-lag.ts';
import { table } from './table.ts';
import { groupSourceTopics } from '../assignment/task-partitions.ts';

export async function lag(args: readonly string[]): Promise<number> {
  const { flags, positionals } = parseFlags('lag', args, APP_FLAGS, { names: ['topology'], required: 1 });
  const loaded = await loadTopology(positionals[0]!);
  const { applicationId, target } = await appSettings('lag', loaded, flags);
  const cluster = await openCluster(target, { clientId: `${applicationId}-lag` });
  try {
    const lags = await groupLag(cluster.admin, applicationId, groupSourceTopics(loaded.topology, applicationId));
    if (lags.length === 0) {
      process.stdout.write(`Application ${applicationId} has no input partitions on ${describeTarget(target)} yet (its input topics do not exist).\n`);
      return 0;
    }
    const rows = lags.map((l) => [l.topic, String(l.partition), l.committed === undefined ? '-' : String(l.committed), String(l.end), l.lag === undefined ? '-' : String(l.lag)]);
    const total = lags.reduce((n, l) => n + (l.lag ?? 0), 0);
    const uncommitted = lags.filter((l) => l.committed === undefined).length;
    process.stdout.write(`${table([['TOPIC', 'PARTITION', 'COMMITTED', 'END', 'LAG'], ...rows])}\n`);
    process.stdout.write(
      `Application ${applicationId}: total lag ${total}${uncommitted > 0 ? ` (${uncommitted} partition${uncommitted === 1 ? '' : 's'} never committed)` : ''}.\n`,
    );
    return 0;
  } finally {
    await cluster.close();
  }
}
