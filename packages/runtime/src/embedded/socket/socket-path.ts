import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The longest Unix domain socket path used: sun_path holds 108 bytes on Linux and 104 on macOS, NUL included. A
 * longer path is not refused by Node: it is silently cut, and the socket lands somewhere else (so it is checked here).
 */
const MAX_SOCKET_PATH = 103;

/**
 * Where the `streams run` holding the embedded log in `logDir` serves it (LogServer) and the other commands look for
 * it (LogSocketClient): `<logDir>/embedded.sock` — in the state directory, beside the lock naming the process — when
 * that path fits a socket address; otherwise (a deep state directory) `<tmpdir>/ts-streams-<hash of the log's real
 * path>.sock`, which both sides work out alike; on Windows, a named pipe of that hash.
 */
export function logSocketPath(logDir: string): string {
  if (process.platform === 'win32') return `\\\\.\\pipe\\ts-streams-${hashOf(logDir)}`;
  const inDir = join(logDir, 'embedded.sock');
  if (Buffer.byteLength(inDir) <= MAX_SOCKET_PATH) return inDir;
  const inTmp = join(tmpdir(), `ts-streams-${hashOf(logDir)}.sock`);
  return Buffer.byteLength(inTmp) <= MAX_SOCKET_PATH ? inTmp : `/tmp/ts-streams-${hashOf(logDir)}.sock`;
}

/** The log directory's real path (symlinks resolved, so that two spellings of it agree), hashed. */
function hashOf(logDir: string): string {
  let real = logDir;
  try {
    real = realpathSync(logDir);
  } catch {
    // not there (yet): its path as given
  }
  return createHash('sha256').update(real).digest('hex').slice(0, 16);
}
