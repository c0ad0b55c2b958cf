import { Serdes } from '@ts-streams/dsl';
import type { Generator } from '@ts-streams/runtime';
import { runTag, seededRandom } from '../shared/seeded-random.ts';
import { playPlan, type Planned } from '../shared/planned-input.ts';
import type { OrderPlaced, PaymentCompleted, UserCreated } from './topology.ts';

/** The topics the generator writes and their serdes: those the topology reads them with. */
export const serviceInputs = {
  'users.created': { key: Serdes.String(), value: Serdes.JSON<UserCreated>() },
  'orders.placed': { key: Serdes.String(), value: Serdes.JSON<OrderPlaced>() },
  'payments.completed': { key: Serdes.String(), value: Serdes.JSON<PaymentCompleted>() },
} as const;
export type PlannedServiceEvent = Planned<typeof serviceInputs>;

const NAMES = ['Anna', 'Boris', 'Chen', 'Dana', 'Emil', 'Fatima', 'Goran', 'Hana', 'Ivan', 'Julia', 'Kofi', 'Lena'];

export interface ServicePlanOptions {
  readonly seed: number;
  /** Wall-clock start (epoch ms): the first event is due then. */
  readonly startMs: number;
  /** Time between events; default 500 ms. */
  readonly intervalMs?: number;
}

/**
 * The events of the user, order and payment services that the notification-router generator sends, a pure function
 * of the seed and the start time, forever: users sign up (ids new in each run), place orders (by e-mail address), and
 * pay for them a little later (by phone, for the order's total), each on its own topic.
 */
export function* servicePlan(options: ServicePlanOptions): IterableIterator<PlannedServiceEvent> {
  const { seed, startMs, intervalMs = 500 } = options;
  const random = seededRandom(seed);
  const tag = runTag(seed);
  const users: { readonly user: UserCreated; readonly phone: string }[] = [];
  const unpaid: { readonly order: OrderPlaced; readonly phone: string }[] = [];
  let orders = 0;
  let payments = 0;
  for (let n = 0; ; n++) {
    const at = startMs + n * intervalMs;
    if (users.length === 0 || random.chance(0.2)) {
      const name = random.pick(NAMES);
      const userId = `usr-${tag}-${users.length + 1}`;
      const user: UserCreated = { userId, name, email: `${name.toLowerCase()}.${users.length + 1}@example.com` };
      users.push({ user, phone: `+1-555-01${String(random.int(0, 99)).padStart(2, '0')}` });
      yield { at, topic: 'users.created', record: { key: userId, value: user, timestamp: at } };
    } else if (unpaid.length > 0 && random.chance(0.45)) {
      const { order, phone } = unpaid.splice(random.int(0, unpaid.length - 1), 1)[0]!;
      const payment: PaymentCompleted = { paymentId: `PAY-${tag}-${++payments}`, orderId: order.orderId, customerPhone: phone, amount: order.totalAmount };
      yield { at, topic: 'payments.completed', record: { key: order.orderId, value: payment, timestamp: at } };
    } else {
      const { user, phone } = random.pick(users);
      const order: OrderPlaced = { orderId: `ORD-${tag}-${++orders}`, customerEmail: user.email, totalAmount: random.int(500, 50_000) / 100 };
      unpaid.push({ order, phone });
      yield { at, topic: 'orders.placed', record: { key: order.orderId, value: order, timestamp: at } };
    }
  }
}

/** The generator with its seed and pace chosen (tests use a fixed seed and a faster pace). */
export function notificationRouterGenerator(options: Partial<Omit<ServicePlanOptions, 'startMs'>> = {}): Generator {
  return (context) => {
    const startMs = Date.now();
    return playPlan(context, serviceInputs, servicePlan({ seed: startMs, ...options, startMs }));
  };
}

/** What `streams run examples/notification-router` runs on the embedded default: service events until Ctrl-C. */
const generate: Generator = notificationRouterGenerator();
export default generate;
