import { ClientError } from '../errors/client-error.ts';
import { StreamsError } from '../errors/streams-error.ts';

/**
 * Runs `attempt` again while it fails with a retriable error (a broker not reachable yet, a topic's metadata not yet
 * propagated), with exponential backoff (100 ms doubling to 5 s), for at most `deadlineMs` (default 60 s); then one
 * clear error saying what could not be done and since when, with the last failure as its cause.
 */
export async function withRetries<T>(
  attempt: () => Promise<T>,
  options: {
    readonly what: string;
    readonly deadlineMs?: number;
    readonly log?: (line: string) => void;
    /** What the final error ends with: the fix (default: check the brokers and bootstrapServers). */
    readonly hint?: string;
  },
): Promise<T> {
  const deadlineMs = options.deadlineMs ?? 60_000;
  const started = Date.now();
  let backoff = 100;
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (e) {
      const retriable = e instanceof StreamsError && e.retriable;
      const elapsed = Date.now() - started;
      if (!retriable) throw e;
      if (elapsed + backoff > deadlineMs) {
        const reason = e instanceof ClientError ? ` (${e.reason})` : '';
        throw new StreamsError(
          `Could not ${options.what} in ${Math.round(elapsed / 1000)} s (${tries} tries): ${(e as Error).message}${reason}. ${options.hint ?? 'Check that the brokers are up and bootstrapServers names them.'}`,
          { cause: e },
        );
      }
      options.log?.(`Could not ${options.what} (${(e as Error).message}); trying again in ${backoff} ms.`);
      await new Promise((resolve) => setTimeout(resolve, backoff));
      backoff = Math.min(backoff * 2, 5_000);
    }
  }
}
