import test from 'ava';
import { Serdes } from '@ts-streams/dsl';
import { TopologyTestDriver } from '@ts-streams/runtime/testing';
import { notificationRouterTopology, type Notification, type OrderPlaced, type PaymentCompleted, type UserCreated } from './topology.ts';

test('users.created, orders.placed and payments.completed fan in to notifications: welcome and order e-mails, payment SMS', async (t) => {
  const driver = await TopologyTestDriver.create(notificationRouterTopology());
  t.teardown(() => driver.close());
  const users = driver.createInputTopic('users.created', Serdes.String(), Serdes.JSON<UserCreated>());
  const orders = driver.createInputTopic('orders.placed', Serdes.String(), Serdes.JSON<OrderPlaced>());
  const payments = driver.createInputTopic('payments.completed', Serdes.String(), Serdes.JSON<PaymentCompleted>());
  const notifications = driver.createOutputTopic('notifications', Serdes.String(), Serdes.JSON<Notification>());

  users.pipeInput('usr-1', { userId: 'usr-1', name: 'Anna Ivanova', email: 'anna@example.com' }, 1_000);
  orders.pipeInput('ORD-12345', { orderId: 'ORD-12345', customerEmail: 'anna@example.com', totalAmount: 109.97 }, 2_000);
  payments.pipeInput('ORD-12345', { paymentId: 'PAY-1', orderId: 'ORD-12345', customerPhone: '+1-555-0142', amount: 109.97 }, 3_000);
  users.pipeInput('usr-2', { userId: 'usr-2', name: 'Boris', email: 'boris@example.com' }, 4_000);
  orders.pipeInput('ORD-12346', { orderId: 'ORD-12346', customerEmail: 'boris@example.com', totalAmount: 5 }, 5_000);

  t.deepEqual(notifications.readRecordsToList().map((r) => ({ key: r.key, value: r.value, timestamp: r.timestamp })), [
    { key: 'usr-1', value: { channel: 'email', to: 'anna@example.com', subject: 'Welcome!', body: 'Hello, Anna Ivanova!' }, timestamp: 1_000 },
    { key: 'ORD-12345', value: { channel: 'email', to: 'anna@example.com', subject: 'Order #ORD-12345 placed', body: 'Total: 109.97' }, timestamp: 2_000 },
    { key: 'ORD-12345', value: { channel: 'sms', to: '+1-555-0142', text: 'Payment of 109.97 for order #ORD-12345 completed' }, timestamp: 3_000 },
    { key: 'usr-2', value: { channel: 'email', to: 'boris@example.com', subject: 'Welcome!', body: 'Hello, Boris!' }, timestamp: 4_000 },
    { key: 'ORD-12346', value: { channel: 'email', to: 'boris@example.com', subject: 'Order #ORD-12346 placed', body: 'Total: 5.00' }, timestamp: 5_000 },
  ]);
});

test('describe() shows the three sources merged into one sink', (t) => {
  const text = notificationRouterTopology().describe();
  t.regex(text, /KSTREAM-MERGE-/);
  t.is(text.match(/Sub-topology:/g)!.length, 1, 'a merge of stateless streams needs no repartition');
  t.regex(text, /topics: \[users\.created\]/);
  t.regex(text, /topics: \[orders\.placed\]/);
  t.regex(text, /topics: \[payments\.completed\]/);
  t.regex(text, /topic: notifications/);
});
