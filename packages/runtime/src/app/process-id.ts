import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';

/** Kafka Streams' file for it: `<stateDir>/<applicationId>/kafka-streams-process-metadata`. */
const FILE = 'kafka-streams-process-metadata';

/**
 * The instance's process id (Kafka Streams' ProcessId): random once, then kept in the state directory, so that an
 * instance restarted on the same state is recognised by the assignor as the owner of the state it has on disk.
 * An unreadable file is replaced by a new id (the instance is then a new one: its state still counts, by offset sums).
 */
export function processIdOf(appStateDir: string): string {
  const path = join(appStateDir, FILE);
  if (existsSync(path)) {
    try {
      const id = (JSON.parse(readFileSync(path, 'utf8')) as { processId?: unknown }).processId;
      if (typeof id === 'string' && id !== '') return id;
    } catch {
      // rewritten below
    }
  }
  const processId = randomUUID();
  writeFileSync(`${path}.tmp`, JSON.stringify({ processId }) + '\n');
  renameSync(`${path}.tmp`, path);
  return processId;
}
