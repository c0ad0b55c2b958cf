import { noBrokerAnswered } from '../no-broker-answered.ts';
import { reasonOf, toClientError } from './kafkajs-errors.ts';

/** How long and how hard a role tries to reach a broker when it connects. */
export interface ConnectPolicy {
  /** The bootstrap addresses, for the error message. */
  readonly bootstrapServers: readonly string[];
  /** The most time connect() takes before it gives up with 'unreachable'. */
  readonly timeoutMs: number;
}

const FIRST_BACKOFF_MS = 100;
const MAX_BACKOFF_MS = 1_000;

/**
 * Runs `attempt` (a kafkajs connect) until it succeeds, retrying 'unreachable' failures with a doubling backoff, for
 * at most policy.timeoutMs; then rejects with one ClientError 'unreachable' that names the bootstrap address and the
 * fix. `abandon` stops an attempt still running at the deadline (kafkajs retries inside connect on its own). Any
 * other failure (authentication, a fatal protocol error) rejects at once.
 */
export async function connectWithin(
  policy: ConnectPolicy,
  what: string,
  attempt: () => Promise<void>,
  abandon: () => Promise<void>,
): Promise<void> {
  const deadline = Date.now() + policy.timeoutMs;
  let backoff = FIRST_BACKOFF_MS;
  let last: unknown;
  for (let attempts = 1; ; attempts++) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) break;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), remaining)));
    try {
      const outcome = await Promise.race([attempt().then(() => 'connected' as const), timedOut]);
      if (outcome === 'connected') return;
      last = new Error(`no answer within ${policy.timeoutMs} ms`);
      await abandon().catch(() => undefined);
      break;
    } catch (error) {
      last = error;
      if (reasonOf(error).reason !== 'unreachable') throw toClientError(error, what);
    } finally {
      clearTimeout(timer);
    }
    const pause = Math.min(backoff, deadline - Date.now());
    if (pause <= 0) break;
    await new Promise((resolve) => setTimeout(resolve, pause));
    backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
  }
  await abandon().catch(() => undefined);
  throw noBrokerAnswered(what, policy.bootstrapServers, policy.timeoutMs, last);
}
