import { ClientError } from '../../errors/client-error.ts';

const ATTEMPTS = 6;
const FIRST_BACKOFF_MS = 100;
const MAX_BACKOFF_MS = 2_000;

/**
 * Runs a request, again after a growing backoff while it fails as 'unreachable' (a leader moving or not ready yet —
 * NOT_LEADER_OR_FOLLOWER right after a topic is created, under load —, a coordinator loading, a dropped connection),
 * up to 6 attempts (~5 s): what kafkajs's own retries (5, from 100 ms) do for the other adapter. The runtime retries
 * above this with its own deadlines.
 */
export async function retrying<T>(request: () => Promise<T>): Promise<T> {
  let backoff = FIRST_BACKOFF_MS;
  for (let attempt = 1; ; attempt++) {
    try {
      return await request();
    } catch (error) {
      if (!(error instanceof ClientError) || error.reason !== 'unreachable' || attempt >= ATTEMPTS) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, backoff));
    backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
  }
}
