import { StreamsBuilder, Serdes, Consumed, Produced } from '@ts-streams/dsl';

/** `users.created`, keyed by user id. */
export interface UserCreated {
  readonly userId: string;
  readonly name: string;
  readonly email: string;
}
/** `orders.placed`, keyed by order id. */
export interface OrderPlaced {
  readonly orderId: string;
  readonly customerEmail: string;
  readonly totalAmount: number;
}
/** `payments.completed`, keyed by order id. */
export interface PaymentCompleted {
  readonly paymentId: string;
  readonly orderId: string;
  readonly customerPhone: string;
  readonly amount: number;
}

/** An event of any of the three services, tagged with its kind: what the router switches on. */
export type ServiceEvent =
  | { readonly kind: 'user-created'; readonly user: UserCreated }
  | { readonly kind: 'order-placed'; readonly order: OrderPlaced }
  | { readonly kind: 'payment-completed'; readonly payment: PaymentCompleted };

/** A message to send, by e-mail or SMS, as `notifications` carries it. */
export type Notification =
  | { readonly channel: 'email'; readonly to: string; readonly subject: string; readonly body: string }
  | { readonly channel: 'sms'; readonly to: string; readonly text: string };

/** The seed's notification service: what each kind of event tells its user, and how. */
export function notificationFor(event: ServiceEvent): Notification {
  switch (event.kind) {
    case 'user-created':
      return { channel: 'email', to: event.user.email, subject: 'Welcome!', body: `Hello, ${event.user.name}!` };
    case 'order-placed':
      return { channel: 'email', to: event.order.customerEmail, subject: `Order #${event.order.orderId} placed`, body: `Total: ${event.order.totalAmount.toFixed(2)}` };
    case 'payment-completed':
      return { channel: 'sms', to: event.payment.customerPhone, text: `Payment of ${event.payment.amount.toFixed(2)} for order #${event.payment.orderId} completed` };
  }
}

/**
 * A notification router (the seed's microservice integration): `users.created`, `orders.placed` and
 * `payments.completed` each tagged into one event type, merged into one stream, and turned into the e-mail or SMS
 * each calls for, written to `notifications` with the event's key.
 */
export function notificationRouterTopology() {
  const builder = new StreamsBuilder();
  const users = builder
    .stream('users.created', Consumed.with(Serdes.String(), Serdes.JSON<UserCreated>()))
    .mapValues((user): ServiceEvent => ({ kind: 'user-created', user }));
  const orders = builder
    .stream('orders.placed', Consumed.with(Serdes.String(), Serdes.JSON<OrderPlaced>()))
    .mapValues((order): ServiceEvent => ({ kind: 'order-placed', order }));
  const payments = builder
    .stream('payments.completed', Consumed.with(Serdes.String(), Serdes.JSON<PaymentCompleted>()))
    .mapValues((payment): ServiceEvent => ({ kind: 'payment-completed', payment }));
  users
    .merge(orders)
    .merge(payments)
    .mapValues(notificationFor)
    .to('notifications', Produced.with(Serdes.String(), Serdes.JSON<Notification>()));
  return builder.build();
}

export default notificationRouterTopology();
