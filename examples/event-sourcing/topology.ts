import { StreamsBuilder, Serdes, Consumed, Grouped, Produced, Materialized } from '@ts-streams/dsl';

/**
 * What happened to a bank account (the seed's AccountEvent), as `account-events` carries it, keyed by account id.
 * Amounts are in cents: whole numbers add up exactly, where 0.1 + 0.2 does not.
 */
export interface AccountEvent {
  readonly eventType: 'created' | 'deposited' | 'withdrawn';
  readonly accountId: string;
  /** `created`: the initial deposit; otherwise the amount moved. Positive. */
  readonly amountCents: number;
  /** ISO time it happened. */
  readonly timestamp: string;
}

/** An account's state, rebuilt from its events: the balance and how many events made it. */
export interface AccountBalance {
  readonly accountId: string;
  readonly balanceCents: number;
  /** Events applied so far: the version of the account. */
  readonly version: number;
  /** When the last of them happened (the event's own time). */
  readonly updatedAt: string;
}

/**
 * Applies one event to an account's state (the seed's rebuild_account_state, one step): `created` opens it with its
 * initial deposit, `deposited` and `withdrawn` move the balance. Events are facts that already happened, so a
 * withdrawal is applied as it is, even past zero: refusing it was the bank's job before the event was written.
 */
function apply(accountId: string, event: AccountEvent, state: AccountBalance): AccountBalance {
  const version = state.version + 1;
  switch (event.eventType) {
    case 'created':
      return { accountId, balanceCents: event.amountCents, version, updatedAt: event.timestamp };
    case 'deposited':
      return { accountId, balanceCents: state.balanceCents + event.amountCents, version, updatedAt: event.timestamp };
    case 'withdrawn':
      return { accountId, balanceCents: state.balanceCents - event.amountCents, version, updatedAt: event.timestamp };
  }
}

/**
 * Event sourcing: account balances as a KTable rebuilt from the account's events (an aggregation of
 * `account-events` by account), queryable as the store `balances`, and every change written to `account-balances`.
 * The store's changelog restores the table after a restart without replaying the events.
 */
export function eventSourcingTopology() {
  const builder = new StreamsBuilder();
  builder
    .stream('account-events', Consumed.with(Serdes.String(), Serdes.JSON<AccountEvent>()))
    .groupByKey(Grouped.with(Serdes.String(), Serdes.JSON<AccountEvent>()))
    .aggregate<AccountBalance>(
      () => ({ accountId: '', balanceCents: 0, version: 0, updatedAt: '' }),
      apply,
      Materialized.as('balances', { keySerde: Serdes.String(), valueSerde: Serdes.JSON<AccountBalance>() }),
    )
    .toStream()
    .to('account-balances', Produced.with(Serdes.String(), Serdes.JSON<AccountBalance>()));
  return builder.build();
}

export default eventSourcingTopology();
