import { StreamsBuilder, Serdes, Consumed, Produced, Branched, type Processor, type ProcessorContext } from '@ts-streams/dsl';

export interface OrderItem {
  readonly productId: string;
  readonly quantity: number;
  readonly price: number;
}
/** An order as `orders` carries it, keyed by customer id (the seed's orders.created). */
export interface Order {
  readonly orderId: string;
  readonly customerId: string;
  readonly items: readonly OrderItem[];
  readonly totalAmount: number;
}
export interface Customer {
  readonly customerId: string;
  readonly name: string;
  readonly email: string;
}
export interface Product {
  readonly productId: string;
  readonly name: string;
}
export interface EnrichedOrder extends Order {
  readonly customer: Customer;
  readonly productNames: readonly string[];
}

interface OrderWithCustomer {
  readonly order: Order;
  readonly customer: Customer | null;
}

const json = <T>() => Serdes.JSON<T>();

/** Puts a record on the dead-letter topic with the reason in the `dlq.reason` header. */
function toDeadLetter(reason: (order: Order) => string): () => Processor<string, OrderWithCustomer, string, Order> {
  return () => {
    let ctx: ProcessorContext<string, Order>;
    return {
      init(c) { ctx = c; },
      process(r) {
        const headers = [...r.headers, { key: 'dlq.reason', value: Buffer.from(reason(r.value.order)) }];
        ctx.forward({ key: r.key, value: r.value.order, timestamp: r.timestamp, headers });
      },
    };
  };
}

/** The topics the application reads and writes. */
export interface OrderTopics {
  readonly orders: string;
  readonly customers: string;
  readonly products: string;
  readonly enriched: string;
  readonly dlq: string;
}

/** The example's topic names (a test on a shared broker gives names of its own). */
export const ORDER_TOPICS: OrderTopics = { orders: 'orders', customers: 'customers', products: 'products', enriched: 'orders.enriched', dlq: 'orders.dlq' };

/**
 * Order enrichment: orders (keyed by customer) left-joined with the `customers` KTable; orders of an
 * unknown customer — or of none: a null key, which a left join passes on (KIP-962) — go to `orders.dlq` with the
 * reason in a header; the others are joined with the `products` GlobalKTable (by each item's product id) and
 * written to `orders.enriched`.
 */
export function orderEnrichmentTopology(topics: OrderTopics = ORDER_TOPICS) {
  const builder = new StreamsBuilder();
  const customers = builder.table(topics.customers, Consumed.with(Serdes.String(), json<Customer>()));
  const products = builder.globalTable(topics.products, Consumed.with(Serdes.String(), json<Product>()));
  const orders = builder.stream(topics.orders, Consumed.with(Serdes.String(), json<Order>()));

  const withCustomer = orders.leftJoin(customers, (order, customer): OrderWithCustomer => ({ order, customer }), {
    valueSerde: json<Order>(),
  });
  const branches = withCustomer.split({ name: 'orders-' })
    .branch((_k, v) => v.customer === null, Branched.as('unknown-customer'))
    .defaultBranch(Branched.as('known-customer'));

  branches.get('orders-unknown-customer')!
    .processValues(toDeadLetter((o) => (o.customerId ? `unknown customer ${o.customerId} for order ${o.orderId}` : `no customer id for order ${o.orderId}`)))
    .to(topics.dlq, Produced.with(Serdes.String(), json<Order>()));

  branches.get('orders-known-customer')!
    .leftJoin(
      products,
      (_customerId, v) => v.order.items[0]?.productId ?? '',
      (v, product): EnrichedOrder => ({
        ...v.order,
        customer: v.customer!,
        productNames: v.order.items.map((i) => (i.productId === product?.productId ? product.name : i.productId)),
      }),
    )
    .to(topics.enriched, Produced.with(Serdes.String(), json<EnrichedOrder>()));
  return builder.build();
}

export default orderEnrichmentTopology();
