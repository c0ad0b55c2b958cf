// Where `streams run` starts reading, on the embedded log (the story: test/cli-start-position.ts; on Kafka:
// test-integration/cli-start-position.test.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { startPositionStory } from './cli-start-position.ts';

test('embedded: a new application reads from the beginning, a partition never committed on is read from its start after a stop (every record counted once), --from-beginning recounts from scratch', async (t) => {
  t.timeout(6 * 60_000);
  const dir = mkdtempSync(join(tmpdir(), 'streams-cli-start-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  await startPositionStory(t, { input: 'lines', output: 'word-counts', partitions: 4, app: 'wc', flags: ['--state-dir', dir] });
});
