import test from 'ava';
import { Serdes } from '@ts-streams/dsl';
import { TopologyTestDriver } from '@ts-streams/runtime/testing';
import { take } from '../shared/take.ts';
import { collectingContext } from '../shared/collecting-context.ts';
import { notificationRouterGenerator, serviceInputs, servicePlan } from './generator.ts';
import { notificationRouterTopology, type Notification, type OrderPlaced, type UserCreated } from './topology.ts';

test('the service plan is a pure function of the seed and the start time', (t) => {
  const startMs = Date.UTC(2024, 0, 15, 10, 30);
  const plan = take(servicePlan({ seed: 4, startMs }), 200);
  t.deepEqual(plan, take(servicePlan({ seed: 4, startMs }), 200));
  t.notDeepEqual(plan, take(servicePlan({ seed: 5, startMs }), 200));
  t.is(plan[0]!.topic, 'users.created');
  t.deepEqual(plan.slice(0, 3).map((p) => p.at - startMs), [0, 500, 1000]);
});

test('the generator sends users, their orders and the orders\' payments; the topology notifies each, in order', async (t) => {
  const context = collectingContext({ stopAfter: 600, timeoutMs: 30_000 });
  await notificationRouterGenerator({ seed: 8, intervalMs: 1 })(context);
  const returned = Date.now();
  t.true(context.records.length >= 600, `sent ${context.records.length} events before the deadline`);
  t.true(returned - context.abortedAt()! < 1000, 'the generator returns soon after the signal aborts');
  t.deepEqual(new Set(context.records.map((r) => r.topic)), new Set(['users.created', 'orders.placed', 'payments.completed']));

  // Walk the events in the order sent: each order is a known user's, each payment a placed order's, paid once.
  const users = new Map<string, UserCreated>();
  const orders = new Map<string, OrderPlaced>();
  const paid = new Set<string>();
  const expected: { key: string; channel: Notification['channel']; to: string }[] = [];
  for (const r of context.records) {
    if (r.topic === 'users.created') {
      const u = serviceInputs['users.created'].value.deserialize(r.topic, r.value)!;
      t.is(serviceInputs['users.created'].key.deserialize(r.topic, r.key), u.userId);
      users.set(u.email, u);
      expected.push({ key: u.userId, channel: 'email', to: u.email });
    } else if (r.topic === 'orders.placed') {
      const o = serviceInputs['orders.placed'].value.deserialize(r.topic, r.value)!;
      t.is(serviceInputs['orders.placed'].key.deserialize(r.topic, r.key), o.orderId);
      t.true(users.has(o.customerEmail), 'ordered by a user who signed up');
      t.true(o.totalAmount >= 5 && Number(o.totalAmount.toFixed(2)) === o.totalAmount, 'whole cents');
      orders.set(o.orderId, o);
      expected.push({ key: o.orderId, channel: 'email', to: o.customerEmail });
    } else {
      const p = serviceInputs['payments.completed'].value.deserialize(r.topic, r.value)!;
      t.is(serviceInputs['payments.completed'].key.deserialize(r.topic, r.key), p.orderId);
      t.true(orders.has(p.orderId), 'pays a placed order');
      t.is(p.amount, orders.get(p.orderId)!.totalAmount, 'the order\'s total');
      t.false(paid.has(p.orderId), 'each order is paid once');
      t.regex(p.customerPhone, /^\+1-555-01\d\d$/);
      paid.add(p.orderId);
      expected.push({ key: p.orderId, channel: 'sms', to: p.customerPhone });
    }
  }
  t.true(users.size >= 50 && orders.size >= 100 && paid.size >= 100, `${users.size} users, ${orders.size} orders, ${paid.size} payments`);

  const driver = await TopologyTestDriver.create(notificationRouterTopology());
  t.teardown(() => driver.close());
  for (const r of context.records) driver.pipeRaw(r.topic, r.key, r.value, r.timestamp, r.headers);
  const notifications = driver.createOutputTopic('notifications', Serdes.String(), Serdes.JSON<Notification>()).readKeyValuesToList();
  t.deepEqual(notifications.map(({ key, value }) => ({ key: key!, channel: value!.channel, to: value!.to })), expected);
});
