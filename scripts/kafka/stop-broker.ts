// Stops a broker by its PID (SIGTERM: Kafka's controlled shutdown; SIGKILL if it has not exited in time) and
// removes its temporary directory and state file — or keeps both, for restartBroker (start-broker.ts).
import { rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { isBrokerProcess, removeBrokerState, type BrokerState } from './broker-state.ts';

export interface StopResult {
  /** False when the process was already gone (only its files were removed). */
  wasRunning: boolean;
  /** True when it did not exit on SIGTERM within the timeout. */
  killed: boolean;
  stopMs: number;
}

export async function stopBroker(state: BrokerState, timeoutMs = 20_000, options: { keepFiles?: boolean } = {}): Promise<StopResult> {
  const start = Date.now();
  const wasRunning = isBrokerProcess(state);
  let killed = false;
  if (wasRunning) {
    signal(state.pid, 'SIGTERM');
    if (!(await exited(state, timeoutMs))) {
      killed = true;
      signal(state.pid, 'SIGKILL');
      await exited(state, 5_000);
    }
  }
  if (!options.keepFiles) {
    rmSync(state.dir, { recursive: true, force: true });
    removeBrokerState(state.name);
  }
  return { wasRunning, killed, stopMs: Date.now() - start };
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

async function exited(state: BrokerState, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isBrokerProcess(state)) {
    if (Date.now() > deadline) return false;
    await sleep(100);
  }
  return true;
}
