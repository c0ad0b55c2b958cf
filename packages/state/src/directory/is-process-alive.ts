/**
 * True if a process with this pid exists on this host (EPERM: it exists, owned by another user). Used by the state
 * directory's lock and by the embedded log's handover to tell a holder that is running from one that died.
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
