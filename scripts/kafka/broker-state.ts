// The state file of a running broker (.kafka/brokers/<name>.json): its PID, address and temporary directory, so
// that a later command can find it, stop it by PID and clean up after it.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brokersDir } from './paths.ts';

export interface BrokerState {
  name: string;
  pid: number;
  /** The bootstrap address, 127.0.0.1:PORT. */
  bootstrap: string;
  port: number;
  controllerPort: number;
  /** The broker's temporary directory: its data (log.dirs), configuration and broker.log, removed on stop. */
  dir: string;
  kafkaVersion: string;
  startedAt: string;
}

function stateFile(name: string): string {
  return join(brokersDir, `${name}.json`);
}

export function readBrokerState(name: string): BrokerState | undefined {
  const file = stateFile(name);
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as BrokerState;
}

export function writeBrokerState(state: BrokerState): void {
  mkdirSync(brokersDir, { recursive: true });
  writeFileSync(stateFile(state.name), `${JSON.stringify(state, null, 2)}\n`);
}

export function removeBrokerState(name: string): void {
  rmSync(stateFile(name), { force: true });
}

export function listBrokerStates(): BrokerState[] {
  if (!existsSync(brokersDir)) return [];
  return readdirSync(brokersDir)
    .filter((file) => file.endsWith('.json'))
    .map((file) => readBrokerState(file.slice(0, -'.json'.length)))
    .filter((state): state is BrokerState => state !== undefined);
}

/**
 * Whether the state's PID is still that broker: alive, and (where /proc tells) a kafka.Kafka process started on
 * the state's directory, so that a PID reused by another program is never signalled.
 */
export function isBrokerProcess(state: BrokerState): boolean {
  try {
    process.kill(state.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const cmdline = `/proc/${state.pid}/cmdline`;
  if (!existsSync('/proc/self/cmdline')) return true;
  try {
    const args = readFileSync(cmdline, 'utf8');
    return args.includes('kafka.Kafka') && args.includes(state.dir);
  } catch {
    return false;
  }
}
