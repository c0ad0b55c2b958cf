import test from 'ava';
import { Serdes } from '@ts-streams/dsl';
import { TopologyTestDriver } from '@ts-streams/runtime/testing';
import { take } from '../shared/take.ts';
import { collectingContext, recordsOf } from '../shared/collecting-context.ts';
import { orderEnrichmentGenerator, orderInputs, orderPlan } from './generator.ts';
import { orderEnrichmentTopology, type Customer, type EnrichedOrder, type Order } from './topology.ts';

test('the order plan is a pure function of the seed and the start time: the catalogue and customers first, then orders', (t) => {
  const startMs = Date.UTC(2024, 0, 15, 10, 30);
  const plan = take(orderPlan({ seed: 5, startMs }), 100);
  t.deepEqual(plan, take(orderPlan({ seed: 5, startMs }), 100));
  t.notDeepEqual(plan, take(orderPlan({ seed: 6, startMs }), 100));
  t.deepEqual(plan.slice(0, 20).map((p) => p.topic), [...Array<string>(8).fill('products'), ...Array<string>(12).fill('customers')]);
  t.true(plan.slice(0, 20).every((p) => p.at === startMs));
  const orders = plan.filter((p) => p.topic === 'orders');
  t.deepEqual(orders.slice(0, 3).map((p) => p.at - startMs), [700, 1400, 2100]);
  // Order ids differ from run to run (the seed is the start time by default), not from test to test.
  t.regex(orders[0]!.record.value.orderId, /^ORD-[0-9A-Z]{5}-1$/);
});

test('the generator sends products, customers and orders, some of unknown customers; the topology enriches the others and dead-letters those with the reason', async (t) => {
  const context = collectingContext({ stopAfter: 300, timeoutMs: 30_000 });
  await orderEnrichmentGenerator({ seed: 11, intervalMs: 5 })(context);
  const returned = Date.now();
  t.true(context.records.length >= 300, `sent ${context.records.length} records before the deadline`);
  t.true(returned - context.abortedAt()! < 1000, 'the generator returns soon after the signal aborts');

  const topics = context.records.map((r) => r.topic);
  t.deepEqual([...new Set(topics)], ['products', 'customers', 'orders'], 'the catalogue first, then customers, then orders');
  const products = recordsOf(context.records, 'products', orderInputs.products);
  t.is(products.length, 8);
  for (const p of products) t.is(p.key, p.value!.productId);

  // Walk the records in the order sent: an order is of a known customer if that customer was sent before it.
  const known = new Map<string, Customer>();
  const enrichable: { order: Order; customer: Customer }[] = [];
  const unknown: Order[] = [];
  for (const r of context.records) {
    if (r.topic === 'customers') {
      const c = orderInputs.customers.value.deserialize(r.topic, r.value)!;
      t.is(orderInputs.customers.key.deserialize(r.topic, r.key), c.customerId);
      t.regex(c.email, /^[a-z.ü]+\d+@example\.com$/);
      known.set(c.customerId, c);
    } else if (r.topic === 'orders') {
      const o = orderInputs.orders.value.deserialize(r.topic, r.value)!;
      t.is(orderInputs.orders.key.deserialize(r.topic, r.key), o.customerId, 'keyed by customer, as the join needs');
      t.true(o.items.length >= 1 && o.items.every((i) => i.quantity >= 1 && products.some((p) => p.key === i.productId)));
      t.is(Math.round(o.totalAmount * 100), o.items.reduce((c, i) => c + Math.round(i.price * 100) * i.quantity, 0), 'the total is the items\' sum, to the cent');
      const customer = known.get(o.customerId);
      if (customer) enrichable.push({ order: o, customer });
      else unknown.push(o);
    }
  }
  t.true(known.size > 12, 'customers register while orders come in');
  t.true(unknown.length >= 10, `${unknown.length} orders of unknown customers`);
  t.true(enrichable.length >= 150, `${enrichable.length} orders of known customers`);

  const driver = await TopologyTestDriver.create(orderEnrichmentTopology(), { cacheMaxBytes: 0 });
  t.teardown(() => driver.close());
  const enriched = driver.createOutputTopic('orders.enriched', Serdes.String(), Serdes.JSON<EnrichedOrder>());
  const dlq = driver.createOutputTopic('orders.dlq', Serdes.String(), Serdes.JSON<Order>());
  for (const r of context.records) driver.pipeRaw(r.topic, r.key, r.value, r.timestamp, r.headers);
  const names = new Map(products.map((p) => [p.key, p.value!.name]));
  t.deepEqual(enriched.readValuesToList(), enrichable.map(({ order, customer }) => ({
    ...order,
    customer,
    // The topology looks up the first item's product in the global table; the others keep their ids.
    productNames: order.items.map((i) => (i.productId === order.items[0]!.productId ? names.get(i.productId)! : i.productId)),
  })));
  const dead = dlq.readRecordsToList();
  t.deepEqual(dead.map((r) => r.value), unknown);
  t.deepEqual(
    dead.map((r) => Buffer.from(r.headers.find((h) => h.key === 'dlq.reason')!.value!).toString()),
    unknown.map((o) => `unknown customer ${o.customerId} for order ${o.orderId}`),
  );
});
