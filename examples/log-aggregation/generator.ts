import { Serdes } from '@ts-streams/dsl';
import type { Generator } from '@ts-streams/runtime';
import { seededRandom, type SeededRandom } from '../shared/seeded-random.ts';
import { playPlan, type Planned } from '../shared/planned-input.ts';
import type { LogLine } from './topology.ts';

/** The topic the generator writes and its serdes: those the topology reads it with. */
export const logInputs = { logs: { key: Serdes.String(), value: Serdes.JSON<LogLine>() } } as const;
export type PlannedLogLine = Planned<typeof logInputs>;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const PATHS = ['/', '/products/laptop', '/products/phone', '/cart', '/checkout', '/api/orders', '/api/search?q=dock', '/static/app.js'];
const STATUSES: readonly (readonly [number, number])[] = [[200, 80], [304, 6], [404, 7], [401, 2], [500, 2], [502, 2], [503, 1]];
const APP_LEVELS: readonly (readonly [string, number])[] = [['INFO', 70], ['DEBUG', 15], ['WARN', 10], ['ERROR', 5]];
const APP_MESSAGES: Readonly<Record<string, readonly string[]>> = {
  INFO: ['OrderService - order placed', 'PaymentService - payment authorised', 'UserService - user signed in', 'CartService - item added to cart'],
  DEBUG: ['CacheService - cache hit for product list', 'HttpClient - GET /inventory 200 in 12 ms'],
  WARN: ['PaymentService - retrying payment provider call (attempt 2)', 'HttpClient - slow response from inventory: 1840 ms'],
  ERROR: ['OrderService - failed to reserve stock: timeout after 5000 ms', 'PaymentService - card declined by provider'],
};
const DB_LINES: readonly (readonly [string, number])[] = [
  ['LOG:  duration: 3.412 ms  statement: SELECT * FROM orders WHERE customer_id = $1', 70],
  ['LOG:  checkpoint complete: wrote 412 buffers (2.5%)', 10],
  ['WARNING:  there is no transaction in progress', 12],
  ['ERROR:  deadlock detected', 4],
  ['ERROR:  duplicate key value violates unique constraint "orders_pkey"', 4],
];

export interface LogPlanOptions {
  readonly seed: number;
  /** Wall-clock start (epoch ms): the first line is due then. */
  readonly startMs: number;
  /** Time between lines (all hosts together); default 100 ms. */
  readonly intervalMs?: number;
}

/**
 * The log lines the log-aggregation generator sends, a pure function of the seed and the start time, forever: nginx
 * access lines from two web servers, an application's log and a database's, each in its own format (the topology
 * finds the level in the text). Now and then the application has an incident — a burst of connection errors — so
 * that the error counts jump. One line in twenty reaches Kafka 1–8 s after it was written (a lagging shipper): its
 * record's timestamp is when it was sent, the line's own `timestamp` when it was written, which the topology counts by.
 */
export function* logPlan(options: LogPlanOptions): IterableIterator<PlannedLogLine> {
  const { seed, startMs, intervalMs = 100 } = options;
  const random = seededRandom(seed);
  let incident = 0;
  for (let n = 0; ; n++) {
    const at = startMs + n * intervalMs;
    const written = random.chance(0.05) ? at - random.int(1_000, 8_000) : at;
    if (incident === 0 && random.chance(0.005)) incident = random.int(15, 40);
    let line: LogLine;
    if (incident > 0) {
      incident--;
      line = appLine(written, 'ERROR', 'OrderService - connection refused: db-server-1:5432', random);
    } else {
      const host = random.weighted([['web-server-1', 4], ['web-server-2', 4], ['app-server-1', 3], ['db-server-1', 2]] as const);
      if (host === 'app-server-1') {
        const level = random.weighted(APP_LEVELS);
        line = appLine(written, level, random.pick(APP_MESSAGES[level]!), random);
      } else if (host === 'db-server-1') {
        line = { host, source: '/var/log/postgresql/postgresql-16-main.log', timestamp: iso(written), message: `${pgTime(written)} [${random.int(2000, 2100)}] ${random.weighted(DB_LINES)}` };
      } else {
        const status = random.weighted(STATUSES);
        const message = `192.168.1.${random.int(2, 254)} - - [${nginxTime(written)}] "GET ${random.pick(PATHS)} HTTP/1.1" ${status} ${random.int(200, 90_000)} "-" "Mozilla/5.0"`;
        line = { host, source: '/var/log/nginx/access.log', timestamp: iso(written), message };
      }
    }
    yield { at, topic: 'logs', record: { key: line.host, value: line, timestamp: at } };
  }
}

function appLine(written: number, level: string, text: string, random: SeededRandom): LogLine {
  return { host: 'app-server-1', source: '/var/log/app/app.log', timestamp: iso(written), message: `${iso(written)} ${level.padEnd(5)} [http-nio-8080-exec-${random.int(1, 8)}] ${text}` };
}
const iso = (ms: number) => new Date(ms).toISOString();
const pad = (n: number, width = 2) => String(n).padStart(width, '0');
/** nginx's `15/Jan/2024:10:30:00 +0000`. */
function nginxTime(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}
/** PostgreSQL's `2024-01-15 10:30:00.123 UTC`. */
function pgTime(ms: number): string {
  return `${iso(ms).slice(0, 23).replace('T', ' ')} UTC`;
}

/** The generator with its seed and pace chosen (tests use a fixed seed and a faster pace). */
export function logAggregationGenerator(options: Partial<Omit<LogPlanOptions, 'startMs'>> = {}): Generator {
  return (context) => {
    const startMs = Date.now();
    return playPlan(context, logInputs, logPlan({ seed: startMs, ...options, startMs }));
  };
}

/** What `streams run examples/log-aggregation` runs on the embedded default: log lines until Ctrl-C. */
const generate: Generator = logAggregationGenerator();
export default generate;
