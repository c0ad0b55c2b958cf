import test from 'ava';
import { Serdes } from '@ts-streams/dsl';
import { TopologyTestDriver } from '@ts-streams/runtime/testing';
import { eventSourcingTopology, type AccountBalance, type AccountEvent } from './topology.ts';

const T0 = Date.UTC(2024, 0, 15, 10, 30);
const iso = (ms: number) => new Date(ms).toISOString();
const event = (eventType: AccountEvent['eventType'], accountId: string, amountCents: number, at: number): AccountEvent =>
  ({ eventType, accountId, amountCents, timestamp: iso(at) });

test('balances are rebuilt from created, deposited and withdrawn events, one update per event, keyed by account', async (t) => {
  const driver = await TopologyTestDriver.create(eventSourcingTopology(), { cacheMaxBytes: 0 });
  t.teardown(() => driver.close());
  const events = driver.createInputTopic('account-events', Serdes.String(), Serdes.JSON<AccountEvent>());
  const balances = driver.createOutputTopic('account-balances', Serdes.String(), Serdes.JSON<AccountBalance>());
  const send = (e: AccountEvent, at: number) => events.pipeInput(e.accountId, e, at);

  send(event('created', 'ACC-1', 10_000, T0), T0);
  send(event('created', 'ACC-2', 5_000, T0 + 1), T0 + 1);
  send(event('deposited', 'ACC-1', 2_550, T0 + 2), T0 + 2);
  send(event('withdrawn', 'ACC-1', 12_000, T0 + 3), T0 + 3);
  send(event('withdrawn', 'ACC-2', 1_000, T0 + 4), T0 + 4);
  send(event('deposited', 'ACC-1', 1, T0 + 5), T0 + 5);
  send(event('withdrawn', 'ACC-1', 600, T0 + 6), T0 + 6); // past zero: a fact, applied as it is

  t.deepEqual(balances.readRecordsToList().map((r) => ({ key: r.key, value: r.value, timestamp: r.timestamp })), [
    { key: 'ACC-1', value: { accountId: 'ACC-1', balanceCents: 10_000, version: 1, updatedAt: iso(T0) }, timestamp: T0 },
    { key: 'ACC-2', value: { accountId: 'ACC-2', balanceCents: 5_000, version: 1, updatedAt: iso(T0 + 1) }, timestamp: T0 + 1 },
    { key: 'ACC-1', value: { accountId: 'ACC-1', balanceCents: 12_550, version: 2, updatedAt: iso(T0 + 2) }, timestamp: T0 + 2 },
    { key: 'ACC-1', value: { accountId: 'ACC-1', balanceCents: 550, version: 3, updatedAt: iso(T0 + 3) }, timestamp: T0 + 3 },
    { key: 'ACC-2', value: { accountId: 'ACC-2', balanceCents: 4_000, version: 2, updatedAt: iso(T0 + 4) }, timestamp: T0 + 4 },
    { key: 'ACC-1', value: { accountId: 'ACC-1', balanceCents: 551, version: 4, updatedAt: iso(T0 + 5) }, timestamp: T0 + 5 },
    { key: 'ACC-1', value: { accountId: 'ACC-1', balanceCents: -49, version: 5, updatedAt: iso(T0 + 6) }, timestamp: T0 + 6 },
  ]);
  // The table is queryable: each account's current state.
  const store = driver.getKeyValueStore<string, AccountBalance>('balances');
  t.is(store.get('ACC-1')!.balanceCents, -49);
  t.is(store.get('ACC-2')!.balanceCents, 4_000);
  t.is(store.get('ACC-3'), undefined);
});

test('an account whose created event is missing starts from zero; a second created event reopens it with its deposit', async (t) => {
  const driver = await TopologyTestDriver.create(eventSourcingTopology(), { cacheMaxBytes: 0 });
  t.teardown(() => driver.close());
  const events = driver.createInputTopic('account-events', Serdes.String(), Serdes.JSON<AccountEvent>());
  const balances = driver.createOutputTopic('account-balances', Serdes.String(), Serdes.JSON<AccountBalance>());
  events.pipeInput('ACC-7', event('deposited', 'ACC-7', 300, T0), T0);
  events.pipeInput('ACC-7', event('created', 'ACC-7', 1_000, T0 + 1), T0 + 1);
  t.deepEqual(balances.readValuesToList().map((b) => [b!.balanceCents, b!.version]), [[300, 1], [1_000, 2]]);
});
