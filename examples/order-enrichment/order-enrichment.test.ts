import test from 'ava';
import { Serdes } from '@ts-streams/dsl';
import { TopologyTestDriver } from '@ts-streams/runtime/testing';
import { orderEnrichmentTopology, type Order, type Customer, type Product, type EnrichedOrder } from './topology.ts';

const order = (orderId: string, customerId: string, productId: string): Order => ({
  orderId, customerId, items: [{ productId, quantity: 2, price: 29.99 }], totalAmount: 59.98,
});

test('orders of known customers are enriched with customer and product; unknown ones go to the DLQ with a reason header', async (t) => {
  const driver = await TopologyTestDriver.create(orderEnrichmentTopology(), { cacheMaxBytes: 0 });
  const customers = driver.createInputTopic('customers', Serdes.String(), Serdes.JSON<Customer>());
  const products = driver.createInputTopic('products', Serdes.String(), Serdes.JSON<Product>());
  const orders = driver.createInputTopic('orders', Serdes.String(), Serdes.JSON<Order>());
  const enriched = driver.createOutputTopic('orders.enriched', Serdes.String(), Serdes.JSON<EnrichedOrder>());
  const dlq = driver.createOutputTopic('orders.dlq', Serdes.String(), Serdes.JSON<Order>());

  products.pipeInput('PROD-001', { productId: 'PROD-001', name: 'Laptop' }, 1);
  customers.pipeInput('CUST-789', { customerId: 'CUST-789', name: 'Ann', email: 'ann@example.com' }, 2);
  orders.pipeInput('CUST-789', order('ORD-1', 'CUST-789', 'PROD-001'), 10);
  orders.pipeInput('CUST-000', order('ORD-2', 'CUST-000', 'PROD-001'), 11);

  const out = enriched.readRecordsToList();
  t.is(out.length, 1);
  t.is(out[0]!.value!.orderId, 'ORD-1');
  t.is(out[0]!.value!.customer.name, 'Ann');
  t.deepEqual(out[0]!.value!.productNames, ['Laptop']);
  t.is(out[0]!.timestamp, 10);

  const dead = dlq.readRecordsToList();
  t.is(dead.length, 1);
  t.is(dead[0]!.value!.orderId, 'ORD-2');
  const reason = dead[0]!.headers.find((h) => h.key === 'dlq.reason');
  t.is(Buffer.from(reason!.value!).toString(), 'unknown customer CUST-000 for order ORD-2');
  await driver.close();
});

test('a customer deleted by a tombstone is unknown again', async (t) => {
  const driver = await TopologyTestDriver.create(orderEnrichmentTopology(), { cacheMaxBytes: 0 });
  const customers = driver.createInputTopic('customers', Serdes.String(), Serdes.JSON<Customer>());
  const orders = driver.createInputTopic('orders', Serdes.String(), Serdes.JSON<Order>());
  const dlq = driver.createOutputTopic('orders.dlq', Serdes.String(), Serdes.JSON<Order>());
  customers.pipeInput('CUST-1', { customerId: 'CUST-1', name: 'Bo', email: 'bo@example.com' }, 1);
  customers.pipeInput('CUST-1', null, 2);
  orders.pipeInput('CUST-1', order('ORD-9', 'CUST-1', 'PROD-X'), 3);
  t.is(dlq.readValue()!.orderId, 'ORD-9');
  await driver.close();
});

test('an order with no customer id (a null key) is passed on by the left join and reaches the DLQ', async (t) => {
  const driver = await TopologyTestDriver.create(orderEnrichmentTopology(), { cacheMaxBytes: 0 });
  const orders = driver.createInputTopic('orders', Serdes.String(), Serdes.JSON<Order>());
  const dlq = driver.createOutputTopic('orders.dlq', Serdes.String(), Serdes.JSON<Order>());
  const enriched = driver.createOutputTopic('orders.enriched', Serdes.String(), Serdes.JSON<EnrichedOrder>());
  const { customerId: _none, ...withoutCustomer } = order('ORD-3', '', 'PROD-001');
  orders.pipeInput(null, withoutCustomer as Order, 5);
  const dead = dlq.readRecordsToList();
  t.is(dead.length, 1);
  t.is(dead[0]!.key, null);
  t.is(dead[0]!.value!.orderId, 'ORD-3');
  t.is(Buffer.from(dead[0]!.headers.find((h) => h.key === 'dlq.reason')!.value!).toString(), 'no customer id for order ORD-3');
  t.true(enriched.isEmpty());
  await driver.close();
});

test('describe() names the join, the split branches and the global store', (t) => {
  const text = orderEnrichmentTopology().describe();
  t.regex(text, /orders-unknown-customer/);
  t.regex(text, /for global store/);
});
