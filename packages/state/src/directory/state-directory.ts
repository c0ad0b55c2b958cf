import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname as osHostname } from 'node:os';
import { join, resolve } from 'node:path';
import { StateDirectoryLockedError } from '../errors/state-directory-locked-error.ts';
import { StateStoreError } from '../errors/state-store-error.ts';
import { isProcessAlive } from './is-process-alive.ts';

/** What `<dir>/.lock` holds (JSON). */
export interface StateDirectoryLockInfo {
  readonly pid: number;
  readonly hostname: string;
  /** ISO time the lock was taken. */
  readonly startedAt: string;
  /** Random token: release() only removes a lock file that is still this holder's. */
  readonly token?: string;
}

export const LOCK_FILE = '.lock';

/** Directories locked by live StateDirectory objects of this process (resolved paths). */
const heldInProcess = new Set<string>();

/**
 * An application instance's state directory (Kafka Streams: `<state.dir>/<application.id>`), held exclusively
 * through a lock file `<dir>/.lock` naming the holder `{ pid, hostname, startedAt }`.
 *
 * Layout under it (as Kafka Streams):
 *
 *     <dir>/.lock
 *     <dir>/<taskId>/.checkpoint             changelog offsets of the task's flushed stores (checkpoint-file.ts)
 *     <dir>/<taskId>/rocksdb/<storeName>/     one RocksDB database per persistent store
 *
 * The lock file is created exclusively (written in full to a temporary file, then hard-linked to `.lock`,
 * which fails if `.lock` exists — O_EXCL semantics with no window where `.lock` is empty). An existing lock is:
 * - held, if its pid is alive on this host (process.kill(pid, 0)) and is not this process → StateDirectoryLockedError;
 * - stale, if its pid is dead → taken over;
 * - this process's own pid with no live StateDirectory of this process holding it (a restart that got the same
 *   pid, as pid 1 in a container) → taken over;
 * - held by another StateDirectory of this process → StateDirectoryLockedError (two instances, one directory);
 * - written on another host → StateDirectoryLockedError (its pid cannot be checked from here).
 *
 * The lock is advisory: it guards against a second instance started by mistake. RocksDB's own LOCK file guards
 * each store's files in addition.
 */
export class StateDirectory {
  private released = false;

  private constructor(
    /** The directory (absolute). */
    readonly dir: string,
    /** What this holder wrote to the lock file. */
    readonly info: StateDirectoryLockInfo,
  ) {}

  /** Creates `dir` if needed and locks it; see the class comment. */
  static lock(dir: string): StateDirectory {
    const abs = resolve(dir);
    mkdirSync(abs, { recursive: true });
    const lockFile = join(abs, LOCK_FILE);
    const info: StateDirectoryLockInfo = {
      pid: process.pid,
      hostname: osHostname(),
      startedAt: new Date().toISOString(),
      token: randomBytes(8).toString('hex'),
    };
    if (heldInProcess.has(abs)) throw lockedError(abs, info, true);
    for (let attempt = 0; attempt < 3; attempt++) {
      if (createExclusive(lockFile, JSON.stringify(info) + '\n')) {
        heldInProcess.add(abs);
        return new StateDirectory(abs, info);
      }
      const existing = readLock(lockFile);
      if (existing === 'missing') continue; // released meanwhile: try again
      if (existing !== 'unreadable') {
        if (existing.hostname !== info.hostname) throw lockedError(abs, existing, false);
        if (existing.pid !== process.pid && isProcessAlive(existing.pid)) throw lockedError(abs, existing, false);
      }
      // stale (dead pid, our own pid from an earlier life, or a file we cannot parse): take it over
      removeIfSame(lockFile, existing);
    }
    throw new StateStoreError(`Cannot lock state directory ${abs}: its lock file ${lockFile} keeps changing (another instance starting at the same time?)`);
  }

  /** Who holds `dir` now (undefined: nobody, or an unreadable lock file). */
  static holder(dir: string): StateDirectoryLockInfo | undefined {
    const l = readLock(join(resolve(dir), LOCK_FILE));
    return typeof l === 'object' ? l : undefined;
  }

  get isLocked(): boolean {
    return !this.released;
  }

  /** Removes the lock file (if it is still this holder's). Idempotent. */
  release(): void {
    if (this.released) return;
    this.released = true;
    heldInProcess.delete(this.dir);
    const lockFile = join(this.dir, LOCK_FILE);
    const l = readLock(lockFile);
    if (typeof l === 'object' && l.token === this.info.token && l.pid === this.info.pid) {
      try {
        unlinkSync(lockFile);
      } catch {
        // already gone
      }
    }
  }

  /** `<dir>/<taskId>`, created if missing. */
  taskDir(taskId: string): string {
    this.check();
    const d = join(this.dir, safeName('task id', taskId));
    mkdirSync(d, { recursive: true });
    return d;
  }

  /** `<dir>/<taskId>/rocksdb/<storeName>` (not created: opening the store creates it). */
  storeDir(taskId: string, storeName: string): string {
    this.check();
    return join(this.dir, safeName('task id', taskId), 'rocksdb', safeName('store name', storeName));
  }

  /** `<dir>/<taskId>/.checkpoint` (see CheckpointFile). */
  checkpointPath(taskId: string): string {
    this.check();
    return join(this.dir, safeName('task id', taskId), '.checkpoint');
  }

  private check(): void {
    if (this.released) throw new StateStoreError(`State directory ${this.dir} was released`);
  }
}

/** A path component for a task id or store name: no separators, not '.'/'..', not empty. */
function safeName(what: string, name: string): string {
  if (name.length === 0 || name === '.' || name === '..' || /[/\\\0]/.test(name)) {
    throw new StateStoreError(`Invalid ${what} ${JSON.stringify(name)}: it names a directory, so it must not be empty, '.', '..', or contain '/', '\\' or NUL`);
  }
  return name;
}

function lockedError(dir: string, holder: StateDirectoryLockInfo, sameProcess: boolean): StateDirectoryLockedError {
  const host = holder.hostname === osHostname() ? '' : ` on host ${holder.hostname}`;
  const msg = sameProcess
    ? `State directory ${dir} is already locked by this process (pid ${holder.pid}): another instance in this process uses it. Close that instance or give this instance another state directory.`
    : `State directory ${dir} is locked by process ${holder.pid}${host} (since ${holder.startedAt}). Stop process ${holder.pid} or give this instance another state directory` +
      (host ? ` (if that process is gone, delete ${join(dir, LOCK_FILE)}).` : '.');
  return new StateDirectoryLockedError(dir, holder.pid, holder.hostname, msg);
}

/** Creates `file` with `content` iff it does not exist, atomically (temp file + link). */
function createExclusive(file: string, content: string): boolean {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const fd = openSync(tmp, 'wx');
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(tmp, file);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    unlinkSync(tmp);
  }
}

type ReadLock = (StateDirectoryLockInfo & { readonly ino: number }) | 'missing' | 'unreadable';

function readLock(file: string): ReadLock {
  let text: string;
  let ino: number;
  try {
    ino = statSync(file).ino;
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw e;
  }
  try {
    const j = JSON.parse(text) as Partial<StateDirectoryLockInfo>;
    if (typeof j.pid === 'number' && Number.isInteger(j.pid) && j.pid > 0 && typeof j.hostname === 'string') {
      return { pid: j.pid, hostname: j.hostname, startedAt: String(j.startedAt ?? '?'), token: typeof j.token === 'string' ? j.token : undefined, ino };
    }
  } catch {
    // not JSON
  }
  return 'unreadable';
}

/** Removes a stale lock file, unless it was replaced since it was read (a narrow race remains; see lock()). */
function removeIfSame(file: string, seen: ReadLock): void {
  try {
    if (typeof seen === 'object' && statSync(file).ino !== seen.ino) return;
    unlinkSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}
