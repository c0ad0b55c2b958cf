import { Serdes } from '@ts-streams/dsl';
import type { Generator } from '@ts-streams/runtime';
import { runTag, seededRandom } from '../shared/seeded-random.ts';
import { playPlan, type Planned } from '../shared/planned-input.ts';
import type { Customer, Order, OrderItem, Product } from './topology.ts';

/** The topics the generator writes and their serdes: those the topology reads them with. */
export const orderInputs = {
  customers: { key: Serdes.String(), value: Serdes.JSON<Customer>() },
  products: { key: Serdes.String(), value: Serdes.JSON<Product>() },
  orders: { key: Serdes.String(), value: Serdes.JSON<Order>() },
} as const;
export type PlannedOrderInput = Planned<typeof orderInputs>;

/** The catalogue: product and its price (the order items carry the price; `products` carries the name). */
const CATALOGUE: readonly (readonly [Product, number])[] = [
  [{ productId: 'PROD-001', name: 'Laptop 14"' }, 1199.0],
  [{ productId: 'PROD-002', name: 'Wireless mouse' }, 29.99],
  [{ productId: 'PROD-003', name: 'USB-C dock' }, 149.5],
  [{ productId: 'PROD-004', name: 'Noise-cancelling headphones' }, 279.0],
  [{ productId: 'PROD-005', name: 'Mechanical keyboard' }, 119.99],
  [{ productId: 'PROD-006', name: '27" monitor' }, 329.0],
  [{ productId: 'PROD-007', name: 'Webcam' }, 69.9],
  [{ productId: 'PROD-008', name: 'Laptop sleeve' }, 24.5],
];
const FIRST = ['Anna', 'Boris', 'Chen', 'Dana', 'Emil', 'Fatima', 'Goran', 'Hana', 'Ivan', 'Julia', 'Kofi', 'Lena', 'Mateo', 'Nora', 'Omar', 'Priya'];
const LAST = ['Ivanova', 'Smith', 'Wang', 'Müller', 'Garcia', 'Okafor', 'Novak', 'Rossi', 'Kim', 'Silva'];

export interface OrderPlanOptions {
  readonly seed: number;
  /** Wall-clock start (epoch ms): the catalogue and the first customers are due then, orders after. */
  readonly startMs: number;
  /** Time between orders; default 700 ms. */
  readonly intervalMs?: number;
  /** Customers registered at start; default 12. */
  readonly initialCustomers?: number;
}

/**
 * The input the order-enrichment generator sends, a pure function of the seed and the start time: the product
 * catalogue and the first customers at start, then orders forever, now and then a newly registered customer. About
 * one order in eight comes from a customer id that was never registered (`CUST-0…`; registered ones are `CUST-1001`
 * on): the topology sends those to `orders.dlq` with the reason in a header. Orders are keyed by customer id, as the topology's join needs.
 */
export function* orderPlan(options: OrderPlanOptions): IterableIterator<PlannedOrderInput> {
  const { seed, startMs, intervalMs = 700, initialCustomers = 12 } = options;
  const random = seededRandom(seed);
  const tag = runTag(seed);
  const customers: string[] = [];
  const register = (at: number): PlannedOrderInput => {
    const n = customers.length + 1;
    const customerId = `CUST-${1000 + n}`;
    customers.push(customerId);
    const first = random.pick(FIRST);
    const last = random.pick(LAST);
    const customer: Customer = { customerId, name: `${first} ${last}`, email: `${first}.${last}${n}@example.com`.toLowerCase() };
    return { at, topic: 'customers', record: { key: customerId, value: customer, timestamp: at } };
  };

  for (const [product] of CATALOGUE) yield { at: startMs, topic: 'products', record: { key: product.productId, value: product, timestamp: startMs } };
  for (let i = 0; i < initialCustomers; i++) yield register(startMs);
  for (let n = 1; ; n++) {
    const at = startMs + n * intervalMs;
    if (random.chance(0.05)) yield register(at);
    const customerId = random.chance(0.125) ? `CUST-0${String(random.int(0, 99)).padStart(2, '0')}` : random.pick(customers);
    const items: OrderItem[] = [];
    const lines = random.weighted([[1, 6], [2, 3], [3, 1]] as const);
    for (let l = 0; l < lines; l++) {
      const [product, price] = random.pick(CATALOGUE);
      items.push({ productId: product.productId, quantity: random.weighted([[1, 8], [2, 3], [3, 1]] as const), price });
    }
    // Whole cents, as a shop computes a total (summing floats would leave 109.97000000000001).
    const totalAmount = items.reduce((cents, i) => cents + Math.round(i.price * 100) * i.quantity, 0) / 100;
    const order: Order = { orderId: `ORD-${tag}-${n}`, customerId, items, totalAmount };
    yield { at, topic: 'orders', record: { key: customerId, value: order, timestamp: at } };
  }
}

/** The generator with its seed and pace chosen (tests use a fixed seed and a faster pace). */
export function orderEnrichmentGenerator(options: Partial<Omit<OrderPlanOptions, 'startMs'>> = {}): Generator {
  return (context) => {
    const startMs = Date.now();
    return playPlan(context, orderInputs, orderPlan({ seed: startMs, ...options, startMs }));
  };
}

/** What `streams run examples/order-enrichment` runs on the embedded default: orders until Ctrl-C. */
const generate: Generator = orderEnrichmentGenerator();
export default generate;
