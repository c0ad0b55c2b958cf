import test from 'ava';
import { Serdes } from '@ts-streams/dsl';
import { TopologyTestDriver } from '@ts-streams/runtime/testing';
import { take } from '../shared/take.ts';
import { collectingContext, recordsOf } from '../shared/collecting-context.ts';
import { accountInputs, accountPlan, eventSourcingGenerator } from './generator.ts';
import { eventSourcingTopology, type AccountBalance } from './topology.ts';

test('the account plan is a pure function of the seed and the start time', (t) => {
  const startMs = Date.UTC(2024, 0, 15, 10, 30);
  const plan = take(accountPlan({ seed: 1, startMs }), 200);
  t.deepEqual(plan, take(accountPlan({ seed: 1, startMs }), 200));
  t.notDeepEqual(plan, take(accountPlan({ seed: 2, startMs }), 200));
  t.deepEqual(plan.slice(0, 3).map((p) => [p.at - startMs, p.record.value.eventType]), [[0, 'created'], [400, 'created'], [800, 'created']]);
});

test('the generator opens accounts and moves money without overdrawing; the topology\'s table equals the balances replayed here', async (t) => {
  const context = collectingContext({ stopAfter: 800, timeoutMs: 30_000 });
  await eventSourcingGenerator({ seed: 21, intervalMs: 1 })(context);
  const returned = Date.now();
  t.true(context.records.length >= 800, `sent ${context.records.length} events before the deadline`);
  t.true(returned - context.abortedAt()! < 1000, 'the generator returns soon after the signal aborts');

  t.deepEqual([...new Set(context.records.map((r) => r.topic))], ['account-events']);
  const events = recordsOf(context.records, 'account-events', accountInputs['account-events']);
  // The seed's rebuild_account_state, for every account at once.
  const balances = new Map<string, number>();
  const versions = new Map<string, number>();
  const kinds = new Set<string>();
  for (const { key, value: e, timestamp } of events) {
    t.is(key, e!.accountId, 'keyed by account');
    t.is(Date.parse(e!.timestamp), timestamp);
    t.true(Number.isInteger(e!.amountCents) && e!.amountCents > 0);
    if (!balances.has(e!.accountId)) t.is(e!.eventType, 'created', 'an account\'s first event opens it');
    const before = balances.get(e!.accountId) ?? 0;
    const after = e!.eventType === 'created' ? e!.amountCents : e!.eventType === 'deposited' ? before + e!.amountCents : before - e!.amountCents;
    t.true(after >= 0, 'no withdrawal past the balance');
    balances.set(e!.accountId, after);
    versions.set(e!.accountId, (versions.get(e!.accountId) ?? 0) + 1);
    kinds.add(e!.eventType);
  }
  t.deepEqual([...kinds].sort(), ['created', 'deposited', 'withdrawn']);
  t.true(balances.size >= 10 && balances.size <= 25, `${balances.size} accounts`);

  const driver = await TopologyTestDriver.create(eventSourcingTopology(), { cacheMaxBytes: 0 });
  t.teardown(() => driver.close());
  for (const r of context.records) driver.pipeRaw(r.topic, r.key, r.value, r.timestamp, r.headers);
  const updates = driver.createOutputTopic('account-balances', Serdes.String(), Serdes.JSON<AccountBalance>()).readKeyValuesToList();
  t.is(updates.length, events.length, 'one update per event');
  const store = driver.getKeyValueStore<string, AccountBalance>('balances');
  for (const [accountId, balanceCents] of balances) {
    t.like(store.get(accountId), { accountId, balanceCents, version: versions.get(accountId)! });
  }
});
