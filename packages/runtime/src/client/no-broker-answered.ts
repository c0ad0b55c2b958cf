import { ClientError } from '../errors/client-error.ts';

/**
 * The error of a connect that ran out of time with no broker answering (both adapters' bounded connect retries):
 * what was being done, where it looked, for how long, the last failure, and how to fix it.
 */
export function noBrokerAnswered(what: string, bootstrapServers: readonly string[], timeoutMs: number, last: unknown): ClientError {
  const cause = last instanceof Error ? last.message : String(last);
  return new ClientError(
    `${what}: no Kafka broker answered at ${bootstrapServers.join(',')} within ${(timeoutMs / 1000).toFixed(1)} s (last: ${cause}). ` +
      `Check that a broker is running and that bootstrapServers names its listener as host:port ` +
      `(for a local test broker: 'npm run kafka -- start' prints it).`,
    'unreachable',
    { cause: last },
  );
}
