import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { CheckpointCorruptedError, CheckpointFile, checkpointKey, StateStoreError } from '../src/index.ts';
import { parseCheckpointKey } from '../src/directory/checkpoint-file.ts';

function tempDir(t: { teardown(fn: () => void): void }): string {
  const d = mkdtempSync(join(tmpdir(), 'ts-streams-ckpt-'));
  t.teardown(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

test('round trip in Kafka\'s OffsetCheckpoint text format; missing file = empty; delete', (t) => {
  const dir = tempDir(t);
  const f = new CheckpointFile(join(dir, '.checkpoint'));
  t.false(f.exists());
  t.deepEqual(f.read(), new Map());
  const offsets = new Map([
    [checkpointKey('app-counts-changelog', 0), 1234],
    [checkpointKey('app-totals-changelog', 11), 0],
  ]);
  f.write(offsets);
  t.is(readFileSync(f.path, 'utf8'), '0\n2\napp-counts-changelog 0 1234\napp-totals-changelog 11 0\n');
  t.deepEqual(f.read(), offsets);
  t.deepEqual(readdirSync(dir), ['.checkpoint']); // no temporary file left behind
  f.write(new Map([['app-counts-changelog 0', 2000]]));
  t.deepEqual(f.read(), new Map([['app-counts-changelog 0', 2000]]));
  f.write(new Map());
  t.is(readFileSync(f.path, 'utf8'), '0\n0\n');
  t.deepEqual(f.read(), new Map());
  f.delete();
  t.false(existsSync(f.path));
  f.delete(); // no error when missing
});

test('keys are "<topic> <partition>"', (t) => {
  t.is(checkpointKey('a-b.c_d', 3), 'a-b.c_d 3');
  t.deepEqual(parseCheckpointKey('a-b.c_d 3'), { topic: 'a-b.c_d', partition: 3 });
  t.throws(() => checkpointKey('with space', 0), { instanceOf: StateStoreError });
  t.throws(() => checkpointKey('t', -1), { instanceOf: StateStoreError });
  const f = new CheckpointFile(join(tempDir(t), '.checkpoint'));
  t.throws(() => f.write(new Map([['no-partition', 1]])), { instanceOf: StateStoreError, message: /no-partition/ });
  t.throws(() => f.write(new Map([['t 0', -1]])), { instanceOf: StateStoreError });
  t.throws(() => f.write(new Map([['t 0', 1.5]])), { instanceOf: StateStoreError });
  t.false(f.exists());
});

test('a corrupt checkpoint is an error naming the file', (t) => {
  const dir = tempDir(t);
  const path = join(dir, '.checkpoint');
  const f = new CheckpointFile(path);
  for (const [text, why] of [
    ['', /version line and a count line/],
    ['1\n0\n', /unknown version/],
    ['0\nx\n', /not a number/],
    ['0\n2\nt 0 1\n', /says 2 entries, found 1/],
    ['0\n1\nt 0\n', /is not "<topic> <partition> <offset>"/],
    ['0\n1\nt 0 -5\n', /is not "<topic> <partition> <offset>"/],
    ['0\n2\nt 0 1\nt 0 2\n', /appears twice/],
    ['\u0000\u0001garbage\n0\n', /unknown version/],
  ] as const) {
    writeFileSync(path, text);
    const e = t.throws(() => f.read(), { instanceOf: CheckpointCorruptedError })!;
    t.is(e.file, path);
    t.true(e.message.includes(path), e.message);
    t.regex(e.message, why);
  }
});
