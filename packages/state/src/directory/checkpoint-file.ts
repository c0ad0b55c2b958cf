import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { CheckpointCorruptedError } from '../errors/checkpoint-corrupted-error.ts';
import { StateStoreError } from '../errors/state-store-error.ts';

/**
 * A task's `.checkpoint` file: for each changelog partition of the task's persistent stores, the changelog
 * offset its local store is known to be up to date with. Kafka Streams' OffsetCheckpoint text format:
 *
 *     0                              version
 *     2                              number of entries
 *     app-counts-changelog 0 1234    topic partition offset
 *     app-totals-changelog 0 99
 *
 * Keys are `"<topic> <partition>"` strings (checkpointKey(); Kafka topic names contain no spaces, so the last
 * space separates the partition). Values are the offset restoration resumes from — the offset after the last
 * changelog record the store holds (a consumer position; 0 = from the beginning). (Kafka's own file stores the
 * last record's offset and seeks to it + 1; ours stores the + 1 already.)
 *
 * Lifecycle (as Kafka Streams under exactly-once):
 * - written only after the task's stores were flushed and made durable (the RocksDB stores' makeDurable() fsyncs
 *   the WAL; flush() alone, called on every commit, does not) — on a commit that checkpoints or on a clean close;
 * - deleted when the task starts processing, so a crash (or kill -9) mid-processing leaves no checkpoint and
 *   the store is treated as unclean on the next start: wiped and rebuilt from the changelog
 *   (open-persistent-store.ts).
 *
 * Writes are atomic: a temporary file is written and fsynced, renamed over the checkpoint, and the directory
 * fsynced — a crash leaves either the old file or the new one.
 */
export class CheckpointFile {
  static readonly VERSION = 0;

  constructor(readonly path: string) {}

  /** The entries; an empty map when the file does not exist. A malformed file → CheckpointCorruptedError naming it. */
  read(): Map<string, number> {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
      throw new StateStoreError(`Cannot read checkpoint file ${this.path}: ${(e as Error).message}`, { cause: e });
    }
    return parseCheckpoint(this.path, text);
  }

  /** True when the file exists. */
  exists(): boolean {
    return existsSync(this.path);
  }

  /** Replaces the file atomically with `offsets` (keys `"<topic> <partition>"`, offsets integers >= 0). */
  write(offsets: ReadonlyMap<string, number>): void {
    const lines = [String(CheckpointFile.VERSION), String(offsets.size)];
    for (const [key, offset] of offsets) {
      const { topic, partition } = parseCheckpointKey(key, this.path);
      if (!Number.isSafeInteger(offset) || offset < 0) {
        throw new StateStoreError(`Checkpoint ${this.path}: offset ${offset} of ${key} is not an integer >= 0`);
      }
      lines.push(`${topic} ${partition} ${offset}`);
    }
    const tmp = `${this.path}.tmp`;
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, lines.join('\n') + '\n');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.path);
    fsyncDir(dirname(this.path));
  }

  /** Removes the file (no error if it does not exist); the removal is made durable (directory fsync). */
  delete(): void {
    try {
      unlinkSync(this.path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw e;
    }
    fsyncDir(dirname(this.path));
  }
}

/** The checkpoint key of a changelog partition: `"<topic> <partition>"`. */
export function checkpointKey(topic: string, partition: number): string {
  if (topic.length === 0 || /\s/.test(topic)) throw new StateStoreError(`Invalid changelog topic name ${JSON.stringify(topic)} for a checkpoint (empty or with whitespace)`);
  if (!Number.isInteger(partition) || partition < 0) throw new StateStoreError(`Invalid changelog partition ${partition} of ${topic} for a checkpoint`);
  return `${topic} ${partition}`;
}

/** Splits a checkpoint key into topic and partition. */
export function parseCheckpointKey(key: string, file = 'checkpoint'): { topic: string; partition: number } {
  const m = /^(\S+) (\d+)$/.exec(key);
  if (m === null) throw new StateStoreError(`${file}: key ${JSON.stringify(key)} is not "<topic> <partition>"`);
  return { topic: m[1]!, partition: Number(m[2]) };
}

function parseCheckpoint(path: string, text: string): Map<string, number> {
  const corrupt = (why: string): never => {
    throw new CheckpointCorruptedError(path, `Checkpoint file ${path} is corrupted: ${why}`);
  };
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  if (lines.length < 2) corrupt(`expected a version line and a count line, found ${lines.length} line(s)`);
  if (lines[0]!.trim() !== String(CheckpointFile.VERSION)) corrupt(`unknown version ${JSON.stringify(lines[0])} (expected ${CheckpointFile.VERSION})`);
  const countText = lines[1]!.trim();
  if (!/^\d+$/.test(countText)) corrupt(`count line ${JSON.stringify(lines[1])} is not a number`);
  const count = Number(countText);
  if (lines.length - 2 !== count) corrupt(`count line says ${count} entries, found ${lines.length - 2}`);
  const out = new Map<string, number>();
  for (let i = 2; i < lines.length; i++) {
    const m = /^(\S+) (\d+) (\d+)$/.exec(lines[i]!.trim());
    if (m === null) corrupt(`line ${i + 1} ${JSON.stringify(lines[i])} is not "<topic> <partition> <offset>"`);
    const offset = Number(m![3]);
    if (!Number.isSafeInteger(offset)) corrupt(`line ${i + 1}: offset ${m![3]} is too large`);
    const key = `${m![1]} ${Number(m![2])}`;
    if (out.has(key)) corrupt(`line ${i + 1}: ${key} appears twice`);
    out.set(key, offset);
  }
  return out;
}

function fsyncDir(dir: string): void {
  let fd: number;
  try {
    fd = openSync(dir, 'r');
  } catch {
    return; // platforms that cannot open directories (Windows)
  }
  try {
    fsyncSync(fd);
  } catch {
    // some filesystems refuse fsync on a directory
  } finally {
    closeSync(fd);
  }
}
