// A second process for the embedded log's tests: `open <dir>` tries to open the log in <dir> and exits 3 with the
// error's message when another process holds it (0 when it could open it).
import { EmbeddedLog } from '../src/embedded/embedded-log.ts';
import { EmbeddedLogLockedError } from '../src/errors/embedded-log-locked-error.ts';

const [command, dir] = process.argv.slice(2);
if (command !== 'open' || dir === undefined) {
  console.error('usage: embedded-log-child.ts open <dir>');
  process.exit(2);
}
try {
  const log = await EmbeddedLog.open(dir, { cleanerIntervalMs: 0 });
  await log.close();
} catch (e) {
  console.error((e as Error).message);
  process.exit(e instanceof EmbeddedLogLockedError ? 3 : 1);
}
