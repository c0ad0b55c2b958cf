import { kafkajsRawClient } from './raw-client-kafkajs.ts';
import { kafkatsRawClient } from './raw-client-kafkats.ts';
import type { RunPhase } from './run-phase.ts';
import type { ClientAdapter, RunResult } from './run-result.ts';
import type { RunSpec } from './run-spec.ts';

/**
 * A client library's own ceiling, without ts-streams: W0 (consume the input from the start, no processing), W0P
 * (produce records shaped as the input) and W0CP (consume → produce). One per client adapter of the runtime, using
 * the library directly (kafkats: @kafkats/client's own consumer and producer; an adapter added to the runtime adds
 * its raw client here).
 */
export interface RawClient {
  consume(spec: RunSpec, phase: RunPhase): Promise<RunResult>;
  produce(spec: RunSpec, phase: RunPhase): Promise<RunResult>;
  consumeProduce(spec: RunSpec, phase: RunPhase): Promise<RunResult>;
}

const RAW_CLIENTS: Record<ClientAdapter, RawClient> = { kafkajs: kafkajsRawClient, kafkats: kafkatsRawClient };

export function rawClient(adapter: ClientAdapter): RawClient {
  return RAW_CLIENTS[adapter];
}
