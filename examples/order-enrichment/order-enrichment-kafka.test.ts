// The order-enrichment example on a real broker (KAFKA_BROKERS, which `npm test` sets): products, customers and
// orders produced with kafkajs, the topology run by KafkaStreams, both output topics read back and compared with what
// is computed here from the inputs alone. Customers change, appear and are deleted while the orders come in (in
// event time): each order meets its customer as of its timestamp. The products' global table gets three versions of
// every product before the application starts: it must have read them all before the first order is processed.
// Without a broker the test fails under CI and is skipped elsewhere, as the runtime's Kafka tests.
import test, { type ExecutionContext } from 'ava';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, type Admin, type Message } from 'kafkajs';
import { KafkaStreams } from '@ts-streams/runtime';
import { clientTitle, testClient } from '../shared/kafka-test-client.ts';
import { orderEnrichmentTopology, type OrderTopics, type Order, type Customer, type Product, type EnrichedOrder } from './topology.ts';

const brokers = (process.env.KAFKA_BROKERS ?? '').split(',').map((b) => b.trim()).filter((b) => b !== '');
const inCI = ['true', '1'].includes((process.env.CI ?? '').toLowerCase());
const runner = brokers.length > 0 ? test.serial : inCI ? test.serial : test.skip;
const register = (title: string, implementation: (t: ExecutionContext) => Promise<void>) => runner(clientTitle(title), implementation);

/** Event times start an hour ago (to the second): recent enough for any broker's time-based retention. */
const BASE = Math.floor(Date.now() / 1000) * 1000 - 3_600_000;
const PRODUCTS = 200;
const ORDERS = 500;

interface Update<V> {
  readonly key: string | null;
  readonly value: V | null;
  readonly timestamp: number;
}

interface Out {
  readonly key: string | null;
  readonly value: string;
  readonly timestamp: number;
  readonly reason: string | undefined;
}

register('orders on Kafka are enriched with their customer as of the order and the product, or sent to the DLQ with the reason', async (t) => {
  if (brokers.length === 0) return t.fail("this test needs a Kafka broker: run it with 'npm test', or set KAFKA_BROKERS to one ('npm run kafka -- start')");
  const id = randomUUID().slice(0, 8);
  const kafka = new Kafka({ clientId: `order-enrichment-test-${id}`, brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const applicationId = `order-enrichment-${id}`;
  const stateDir = mkdtempSync(join(tmpdir(), 'order-enrichment-'));
  const topics: OrderTopics = { orders: `orders-${id}`, customers: `customers-${id}`, products: `products-${id}`, enriched: `orders.enriched-${id}`, dlq: `orders.dlq-${id}` };
  const readers: string[] = [];
  t.teardown(async () => {
    const mine = (await admin.listTopics()).filter((x) => x.endsWith(`-${id}`) || x.startsWith(`${applicationId}-`));
    await admin.deleteTopics({ topics: mine }).catch(() => undefined);
    await admin.deleteGroups([applicationId, ...readers]).catch(() => undefined);
    await admin.disconnect();
    rmSync(stateDir, { recursive: true, force: true });
  });
  // Orders and customers co-partitioned (4); the global table's topic and the outputs need not be.
  await createTopics(admin, [[topics.orders, 4], [topics.customers, 4], [topics.products, 3], [topics.enriched, 4], [topics.dlq, 2]]);

  // Products P0..P199, each renamed twice: only the third name is current. Orders also ask for P200..P209, unknown.
  const products: Update<Product>[] = [1, 2, 3].flatMap((v) => Array.from({ length: PRODUCTS }, (_, i) => ({ key: `P${i}`, value: { productId: `P${i}`, name: `Product ${i} v${v}` }, timestamp: BASE + v })));
  // Customers C0..C29 before any order; while the orders come in (one every 100 ms), C0..C9 are renamed at 20 s,
  // C10..C14 deleted at 25 s, and C30..C34 appear at 30 s. C35..C39 never exist.
  const customer = (i: number, name: string): Customer => ({ customerId: `C${i}`, name, email: `c${i}@example.com` });
  const customers: Update<Customer>[] = [
    ...Array.from({ length: 30 }, (_, i) => ({ key: `C${i}`, value: customer(i, `Customer ${i}`), timestamp: BASE + 100 + i })),
    ...Array.from({ length: 10 }, (_, i) => ({ key: `C${i}`, value: customer(i, `Renamed ${i}`), timestamp: BASE + 20_000 + i * 10 })),
    ...Array.from({ length: 5 }, (_, i) => ({ key: `C${10 + i}`, value: null, timestamp: BASE + 25_000 + i * 10 })),
    ...Array.from({ length: 5 }, (_, i) => ({ key: `C${30 + i}`, value: customer(30 + i, `Newcomer ${30 + i}`), timestamp: BASE + 30_000 + i * 10 })),
  ];
  // Every 50th order has no customer (a null key); the others' customers cycle through C0..C39.
  const orders: Update<Order>[] = Array.from({ length: ORDERS }, (_, i) => {
    const customerId = i % 50 === 49 ? '' : `C${(i * 7) % 40}`;
    const first = `P${(i * 13) % (PRODUCTS + 10)}`;
    const items = [{ productId: first, quantity: 1 + (i % 3), price: 10 }, ...(i % 4 === 0 ? [{ productId: `P${(i * 17) % PRODUCTS}`, quantity: 1, price: 5 }] : [])];
    return { key: customerId || null, value: { orderId: `O${i}`, customerId, items, totalAmount: items.reduce((n, x) => n + x.quantity * x.price, 0) }, timestamp: BASE + 1_005 + i * 100 };
  });
  const produce = async <V>(topic: string, updates: readonly Update<V>[]) => {
    // Idempotent: a plain kafkajs producer retries a request that timed out under load and may write it twice.
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const messages: Message[] = updates.map((u) => ({ key: u.key, value: u.value === null ? null : JSON.stringify(u.value), timestamp: String(u.timestamp) }));
    for (let i = 0; i < messages.length; i += 500) await producer.send({ topic, messages: messages.slice(i, i + 500) });
    await producer.disconnect();
  };
  await produce(topics.products, products);
  await produce(topics.customers, customers);
  await produce(topics.orders, orders);

  // What the application must write, from the inputs alone: the customer as of the order's timestamp, the product
  // of the order's first item (its latest version) naming every item of that product.
  const productNow = new Map(products.map((p) => [p.key, p.value!]));
  const expectedEnriched: Out[] = [];
  const expectedDead: Out[] = [];
  for (const o of orders) {
    const order = o.value!;
    const asOfOrder = customers.filter((c) => c.key === o.key && c.timestamp < o.timestamp).at(-1)?.value ?? null;
    if (asOfOrder === null) {
      const reason = order.customerId ? `unknown customer ${order.customerId} for order ${order.orderId}` : `no customer id for order ${order.orderId}`;
      expectedDead.push({ key: o.key, value: JSON.stringify(order), timestamp: o.timestamp, reason });
      continue;
    }
    const product = productNow.get(order.items[0]!.productId);
    const enriched: EnrichedOrder = { ...order, customer: asOfOrder, productNames: order.items.map((i) => (i.productId === product?.productId ? product.name : i.productId)) };
    expectedEnriched.push({ key: o.key, value: JSON.stringify(enriched), timestamp: o.timestamp, reason: undefined });
  }
  // The inputs exercise every path: renamed, deleted and new customers, unknown ones, no customer, unknown products.
  const enrichedValues = expectedEnriched.map((x) => JSON.parse(x.value) as EnrichedOrder);
  t.true(enrichedValues.some((e) => e.customer.name.startsWith('Renamed')) && enrichedValues.some((e) => e.customer.name.startsWith('Newcomer')));
  t.true(enrichedValues.some((e) => e.customer.customerId === 'C10') && expectedDead.some((d) => d.reason!.startsWith('unknown customer C10 ')));
  t.true(enrichedValues.some((e) => e.productNames[0] === 'P205') && expectedDead.some((d) => d.key === null));

  const app = new KafkaStreams(orderEnrichmentTopology(topics), { applicationId, bootstrapServers: brokers, client: testClient, stateDir, commitIntervalMs: 200 }, { log: (l) => t.log(l) });
  t.teardown(() => app.close());
  await app.start();
  await untilCommitted(admin, applicationId, [topics.orders, topics.customers]);
  const [enriched, dead] = [await readAll(kafka, admin, topics.enriched, readers), await readAll(kafka, admin, topics.dlq, readers)];
  const dropped = Object.values(app.metrics().tasks).reduce((n, x) => n + x.droppedRecords, 0);
  await app.close();
  t.is(app.state, 'NOT_RUNNING');

  // Compared as parsed JSON (field order is the serializer's business), in order id order.
  const comparable = (outs: readonly Out[]) =>
    outs.map((o) => ({ ...o, value: JSON.parse(o.value) as { orderId: string } })).sort((a, b) => Number(a.value.orderId.slice(1)) - Number(b.value.orderId.slice(1)));
  t.deepEqual(comparable(enriched), comparable(expectedEnriched));
  t.deepEqual(comparable(dead), comparable(expectedDead));
  t.is(dropped, 0);
});

/**
 * Creates the topics and waits until every partition has a leader (not kafkajs's waitForLeaders, which fails on the
 * UNKNOWN_TOPIC_OR_PARTITION a busy broker answers while the new topics propagate).
 */
async function createTopics(admin: Admin, topics: readonly (readonly [string, number])[]): Promise<void> {
  await admin.createTopics({ topics: topics.map(([topic, numPartitions]) => ({ topic, numPartitions })), waitForLeaders: false });
  const deadline = Date.now() + 30_000;
  for (;;) {
    const ready = await admin.fetchTopicMetadata({ topics: topics.map(([name]) => name) }).then(
      (m) => topics.every(([name, n]) => m.topics.find((x) => x.name === name)?.partitions.filter((p) => p.leader >= 0).length === n),
      () => false,
    );
    if (ready) return;
    if (Date.now() > deadline) throw new Error(`Topics ${topics.map(([name]) => name).join(', ')} had no leaders within 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Waits until the group has committed every record of the topics (then every output was acknowledged before). */
async function untilCommitted(admin: Admin, groupId: string, topics: readonly string[]): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    let all = true;
    for (const topic of topics) {
      const ends = await admin.fetchTopicOffsets(topic);
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
      for (const e of ends) if (e.high !== '0' && committed!.partitions.find((p) => p.partition === e.partition)?.offset !== e.high) all = false;
    }
    if (all) return;
    if (Date.now() > deadline) throw new Error(`The application did not commit every record of ${topics.join(', ')} within 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Every record of a topic up to its end offsets as of the call (the reader's group is noted for the teardown). */
async function readAll(kafka: Kafka, admin: Admin, topic: string, readers: string[]): Promise<Out[]> {
  const ends = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)]));
  const next = new Map([...ends.keys()].map((p) => [p, 0]));
  const done = () => [...ends].every(([p, end]) => next.get(p)! >= end);
  const out: Out[] = [];
  if (done()) return out;
  const groupId = `reader-${randomUUID()}`;
  readers.push(groupId);
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 200 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        if (Number(message.offset) >= ends.get(partition)!) return;
        next.set(partition, Number(message.offset) + 1);
        out.push({ key: message.key?.toString() ?? null, value: message.value!.toString(), timestamp: Number(message.timestamp), reason: message.headers?.['dlq.reason']?.toString() });
      },
    });
    const deadline = Date.now() + 60_000;
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`Reading ${topic} to its end offsets took over 60 s`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await consumer.disconnect();
  }
  return out;
}
