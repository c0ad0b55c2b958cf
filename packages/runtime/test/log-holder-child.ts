// A second process for the embedded log's socket tests: `hold <stateDir> [serve]` opens the log of the state
// directory (and with `serve`, serves it on its socket, as `streams run` does), prints "holding <pid>" once it does,
// and holds it until its stdin ends (then closes cleanly) or it is killed.
import { openEmbeddedLog } from '../src/embedded/open-embedded-log.ts';
import { LogServer } from '../src/embedded/socket/log-server.ts';

const [command, stateDir, serve] = process.argv.slice(2);
if (command !== 'hold' || stateDir === undefined) {
  console.error('usage: log-holder-child.ts hold <stateDir> [serve]');
  process.exit(2);
}
const log = await openEmbeddedLog(stateDir, { cleanerIntervalMs: 0 });
const server = serve === 'serve' ? await LogServer.listen(log) : undefined;
process.stdout.write(`holding ${process.pid}\n`);
process.stdin.resume();
process.stdin.on('end', async () => {
  await server?.close();
  await log.close();
  process.exit(0);
});
