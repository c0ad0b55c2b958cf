import { seamRawClient } from './raw-client-seam.ts';
import type { RunPhase } from './run-phase.ts';
import type { ClientAdapter, RunResult } from './run-result.ts';
import type { RunSpec } from './run-spec.ts';

/**
 * A client adapter's own ceiling, without ts-streams: W0 (consume the input from the start, no processing), W0P
 * (produce records shaped as the input) and W0CP (consume → produce), through the adapter's group consumer and
 * producer exactly as the runtime uses them (raw-client-seam.ts) — so "ts-streams / raw client" is what the
 * processing costs on top of our own client. The client libraries' stock producers are measured by
 * `npm run bench -- produce` (and FACTS.md).
 */
export interface RawClient {
  consume(spec: RunSpec, phase: RunPhase): Promise<RunResult>;
  produce(spec: RunSpec, phase: RunPhase): Promise<RunResult>;
  consumeProduce(spec: RunSpec, phase: RunPhase): Promise<RunResult>;
}

export function rawClient(adapter: ClientAdapter): RawClient {
  return seamRawClient(adapter);
}
