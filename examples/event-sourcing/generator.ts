import { Serdes } from '@ts-streams/dsl';
import type { Generator } from '@ts-streams/runtime';
import { runTag, seededRandom } from '../shared/seeded-random.ts';
import { playPlan, type Planned } from '../shared/planned-input.ts';
import type { AccountEvent } from './topology.ts';

/** The topic the generator writes and its serdes: those the topology reads it with. */
export const accountInputs = { 'account-events': { key: Serdes.String(), value: Serdes.JSON<AccountEvent>() } } as const;
export type PlannedAccountEvent = Planned<typeof accountInputs>;

export interface AccountPlanOptions {
  readonly seed: number;
  /** Wall-clock start (epoch ms): the first event is due then. */
  readonly startMs: number;
  /** Time between events; default 400 ms. */
  readonly intervalMs?: number;
  /** Accounts opened at most; default 25. */
  readonly maxAccounts?: number;
}

/**
 * The account events the event-sourcing generator sends, a pure function of the seed and the start time, forever:
 * accounts opened with an initial deposit (ids new in each run, `ACC-<run>-<n>`), then deposits and withdrawals on
 * them. The bank refuses a withdrawal it cannot cover before any event is written, so none takes a balance below zero.
 */
export function* accountPlan(options: AccountPlanOptions): IterableIterator<PlannedAccountEvent> {
  const { seed, startMs, intervalMs = 400, maxAccounts = 25 } = options;
  const random = seededRandom(seed);
  const tag = runTag(seed);
  const accounts: string[] = [];
  const balances = new Map<string, number>();
  for (let n = 0; ; n++) {
    const at = startMs + n * intervalMs;
    let event: AccountEvent;
    if (accounts.length < 3 || (accounts.length < maxAccounts && random.chance(0.08))) {
      const accountId = `ACC-${tag}-${accounts.length + 1}`;
      accounts.push(accountId);
      event = { eventType: 'created', accountId, amountCents: random.int(2, 50) * 1_000, timestamp: new Date(at).toISOString() };
    } else {
      const accountId = random.pick(accounts);
      const balance = balances.get(accountId)!;
      event = balance < 1_000 || random.chance(0.55)
        ? { eventType: 'deposited', accountId, amountCents: random.int(5, 300) * 100 + random.pick([0, 0, 50, 99]), timestamp: new Date(at).toISOString() }
        : { eventType: 'withdrawn', accountId, amountCents: random.int(1, Math.min(balance, 40_000)), timestamp: new Date(at).toISOString() };
    }
    const before = balances.get(event.accountId) ?? 0;
    balances.set(event.accountId, event.eventType === 'created' ? event.amountCents : event.eventType === 'deposited' ? before + event.amountCents : before - event.amountCents);
    yield { at, topic: 'account-events', record: { key: event.accountId, value: event, timestamp: at } };
  }
}

/** The generator with its seed and pace chosen (tests use a fixed seed and a faster pace). */
export function eventSourcingGenerator(options: Partial<Omit<AccountPlanOptions, 'startMs'>> = {}): Generator {
  return (context) => {
    const startMs = Date.now();
    return playPlan(context, accountInputs, accountPlan({ seed: startMs, ...options, startMs }));
  };
}

/** What `streams run examples/event-sourcing` runs on the embedded default: account events until Ctrl-C. */
const generate: Generator = eventSourcingGenerator();
export default generate;
