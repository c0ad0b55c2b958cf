// What the page-views tests on several processes share: the broker (KAFKA_BROKERS, which `npm test` sets; without
// it the tests fail under CI and are skipped elsewhere, as the runtime's Kafka tests), topics of their own, clicks
// numbered so that their counts are computed from the numbers alone, the group's progress read through the admin,
// and the output topic read to its end.
import test, { type ExecutionContext } from 'ava';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, type Admin, type Producer } from 'kafkajs';
import { KafkajsClient } from '@ts-streams/runtime';
import { clientTitle, testClient } from '../shared/kafka-test-client.ts';
import type { Click, PageStats } from './topology.ts';

export const brokers = (process.env.KAFKA_BROKERS ?? '').split(',').map((b) => b.trim()).filter((b) => b !== '');
const inCI = ['true', '1'].includes((process.env.CI ?? '').toLowerCase());
/** The client adapter the apps run on (KAFKA_TEST_CLIENT): their config's `client`. */
export const client = testClient;
/** serial: the processes of one test are load enough for the machine. */
const runner = brokers.length > 0 || inCI ? test.serial : test.skip;
export function register(title: string, implementation: (t: ExecutionContext) => Promise<void>): void {
  runner(clientTitle(title), implementation);
}
export const NO_BROKER = "this test needs a Kafka broker: run it with 'npm test', or set KAFKA_BROKERS to one ('npm run kafka -- start')";

export const PARTITIONS = 4;
const WINDOW = 5 * 60_000;
/** Pages whose keys fall in every one of the 4 partitions (murmur2: 2, 1, 1, 3, 3, 0): every counting task has state. */
const PAGES = ['/home', '/cart', '/products/laptop', '/products/phone', '/checkout', '/search'];
/**
 * Clicks fall within 25 s of this, across a window boundary: less out of order than the 30 s grace, none dropped.
 * Near the present: the broker deletes records older than a topic's retention (7 days for the input, a day past the
 * window for the windowed changelog) at its periodic retention check, whatever their offsets.
 */
const START = Math.floor(Date.now() / WINDOW) * WINDOW - 10_000;

export interface NumberedClick {
  readonly user: string;
  readonly click: Click;
  readonly timestamp: number;
}

/** Click number i: its user (the key), page and timestamp follow from i alone. */
export function clickAt(i: number): NumberedClick {
  const user = `user-${(i * 31) % 50}`;
  const pageUrl = PAGES[(i * 7 + Math.floor(i / 50)) % PAGES.length]!;
  return { user, click: { eventType: 'click', userId: user, pageUrl }, timestamp: START + ((i * 7919) % 25_000) };
}

/** `<page>@<window start>` of a click or a PageStats. */
export function windowKey(pageUrl: string, timestamp: number): string {
  return `${pageUrl}@${timestamp - (timestamp % WINDOW)}`;
}

/** Views per page and window of clicks 0 … n-1, computed from the clicks alone. */
export function expectedViews(n: number): Map<string, number> {
  const expected = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const { click, timestamp } = clickAt(i);
    const k = windowKey(click.pageUrl, timestamp);
    expected.set(k, (expected.get(k) ?? 0) + 1);
  }
  return sorted(expected);
}

/** A producer for the clicks: idempotent, as a plain one retries a send that timed out under load and writes it twice. */
export function clickProducer(f: Fixture): Producer {
  return f.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
}

/** Sends clicks from … to-1 in sends of 100. */
export async function produceClicks(producer: Producer, topic: string, from: number, to: number): Promise<void> {
  for (let i = from; i < to; i += 100) {
    const messages = [];
    for (let j = i; j < Math.min(to, i + 100); j++) {
      const c = clickAt(j);
      messages.push({ key: c.user, value: JSON.stringify(c.click), timestamp: String(c.timestamp) });
    }
    await producer.send({ topic, messages });
  }
}

/** t.log for lines that may arrive after the test ended (a child process's last words): those are dropped. */
export function testLog(t: ExecutionContext): (line: string) => void {
  let open = true;
  t.teardown(() => {
    open = false;
  });
  return (line) => {
    if (open) t.log(line);
  };
}

export interface Fixture {
  readonly kafka: Kafka;
  readonly admin: Admin;
  readonly applicationId: string;
  readonly stateDir: (name: string) => string;
  readonly clicks: string;
  readonly stats: string;
  /** The repartition topic between the two sub-topologies. */
  readonly repartition: string;
}

/** Topics, a group and state directories of the test's own, removed when it ends. */
export async function fixture(t: ExecutionContext, name: string): Promise<Fixture> {
  const id = randomUUID().slice(0, 8);
  const kafka = new Kafka({ clientId: `${name}-${id}`, brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const applicationId = `${name}-${id}`;
  const clicks = `clickstream-${id}`;
  const stats = `page-view-stats-${id}`;
  const dirs: string[] = [];
  t.teardown(async () => {
    const topics = (await admin.listTopics().catch(() => [])).filter((x) => x.includes(id));
    await admin.deleteTopics({ topics }).catch(() => undefined);
    await admin.deleteGroups([applicationId]).catch(() => undefined);
    await admin.disconnect();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  await admin.createTopics({ topics: [clicks, stats].map((topic) => ({ topic, numPartitions: PARTITIONS })), waitForLeaders: false });
  await leadersOf(admin, [clicks, stats]);
  return {
    kafka, admin, applicationId, clicks, stats,
    repartition: `${applicationId}-clicks-by-page-repartition`,
    stateDir: (n) => {
      const d = mkdtempSync(join(tmpdir(), `${name}-${n}-`));
      dirs.push(d);
      return d;
    },
  };
}

/**
 * Waits until every partition of the topics has a leader. kafkajs's own wait (createTopics' waitForLeaders) fails
 * when a metadata answer does not list a new topic yet (UNKNOWN_TOPIC_OR_PARTITION while it propagates, under load).
 */
async function leadersOf(admin: Admin, topics: readonly string[]): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const { topics: found } = await admin.fetchTopicMetadata({ topics: [...topics] });
      if (found.length === topics.length && found.every((x) => x.partitions.length === PARTITIONS && x.partitions.every((p) => p.leader >= 0))) return;
    } catch (e) {
      if (Date.now() > deadline) throw e;
    }
    if (Date.now() > deadline) throw new Error(`the topics ${topics.join(', ')} have no leaders after 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Per partition of a topic: the group's committed offset (0 when none) and the end offset. */
export interface Progress {
  readonly committed: number[];
  readonly end: number[];
}

export async function progress(f: Fixture, topic: string): Promise<Progress> {
  const [offsets] = await f.admin.fetchOffsets({ groupId: f.applicationId, topics: [topic] });
  const committed = Array.from({ length: PARTITIONS }, () => 0);
  for (const p of offsets?.partitions ?? []) committed[p.partition] = Math.max(0, Number(p.offset));
  const end = Array.from({ length: PARTITIONS }, () => 0);
  for (const p of await f.admin.fetchTopicOffsets(topic)) end[p.partition] = Number(p.high);
  return { committed, end };
}

export const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

/**
 * Polls until the group has committed every click of the topic and every record of the repartition topic: every
 * click then went through both sub-topologies, and their output and changelog records are acknowledged (a commit
 * follows the producer's flush). Read in this order because the repartition topic's end is final only once every
 * click is committed.
 */
export async function allCommitted(f: Fixture, clicks: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    const c = await progress(f, f.clicks);
    if (sum(c.end) !== clicks) throw new Error(`${f.clicks} holds ${sum(c.end)} clicks, expected ${clicks}`);
    const r = await progress(f, f.repartition);
    last = `clicks committed ${c.committed} of ${c.end}, repartition committed ${r.committed} of ${r.end}`;
    if (sum(c.committed) === clicks && sum(r.committed) === sum(r.end)) return;
    if (Date.now() > deadline) throw new Error(`not everything committed within ${timeoutMs} ms: ${last}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The output topic read from its start to its end offsets now: the latest views per page and window. */
export async function latestViews(f: Fixture, timeoutMs: number): Promise<Map<string, number>> {
  const end = new Map((await f.admin.fetchTopicOffsets(f.stats)).map((p) => [p.partition, Number(p.high)]));
  const next = new Map([...end.keys()].map((p) => [p, 0]));
  const latest = new Map<string, number>();
  const consumer = f.kafka.consumer({ groupId: `reader-${randomUUID()}`, maxWaitTimeInMs: 200 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [f.stats], fromBeginning: true });
    let reached!: () => void;
    const done = new Promise<void>((resolve) => (reached = resolve));
    const atEnd = () => [...end].every(([p, e]) => next.get(p)! >= e);
    if (atEnd()) reached();
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        const s = JSON.parse(message.value!.toString()) as PageStats;
        if (message.key!.toString() !== s.pageUrl || s.windowEnd - s.windowStart !== WINDOW) throw new Error(`unexpected output ${message.key} ${message.value}`);
        latest.set(windowKey(s.pageUrl, s.windowStart), s.views);
        next.set(partition, Number(message.offset) + 1);
        if (atEnd()) reached();
      },
    });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<void>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${f.stats} not read to its end ${JSON.stringify([...end])} within ${timeoutMs} ms: at ${JSON.stringify([...next])}`)), timeoutMs);
    });
    await Promise.race([done, timedOut]).finally(() => clearTimeout(timer));
  } finally {
    await consumer.disconnect();
  }
  return sorted(latest);
}

/** A map in key order, to compare maps built in different orders. */
export function sorted<V>(m: ReadonlyMap<string, V>): Map<string, V> {
  return new Map([...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * Under exactly-once: the output topic as a read_committed consumer sees it, read to its last stable offset (the
 * client seam's assigned consumer, which knows when it is caught up; plain kafkajs never sees the transaction markers
 * at the end). The latest views per page and window, and each page and window whose committed counts did not rise
 * from one record to the next (a count written twice would repeat or go back).
 */
export async function committedViews(f: Fixture, timeoutMs: number): Promise<{ views: Map<string, number>; notRising: string[] }> {
  const views = new Map<string, number>();
  const notRising: string[] = [];
  for (const r of await readCommitted(f.stats, timeoutMs)) {
    const s = JSON.parse(r.value!.toString()) as PageStats;
    if (r.key !== s.pageUrl || s.windowEnd - s.windowStart !== WINDOW) throw new Error(`unexpected output ${r.key} ${r.value}`);
    const k = windowKey(s.pageUrl, s.windowStart);
    const before = views.get(k) ?? 0;
    if (s.views <= before) notRising.push(`${k}: ${before} then ${s.views} (partition ${r.partition} offset ${r.offset})`);
    views.set(k, s.views);
  }
  return { views: sorted(views), notRising };
}

/**
 * Under exactly-once, waits until the group committed every click and, in the repartition topic, an offset past
 * every committed record (not its end offset: a partition's last offsets are transaction markers). Once every click
 * is committed, so is every record repartitioned from them (in the same transactions).
 */
export async function allCommittedExactlyOnce(f: Fixture, clicks: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const c = await progress(f, f.clicks);
    if (sum(c.end) !== clicks) throw new Error(`${f.clicks} holds ${sum(c.end)} clicks, expected ${clicks}`);
    if (sum(c.committed) === clicks) break;
    if (Date.now() > deadline) throw new Error(`not every click committed within ${timeoutMs} ms: ${c.committed} of ${c.end}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const last = Array.from({ length: PARTITIONS }, () => -1);
  for (const r of await readCommitted(f.repartition, Math.max(1_000, deadline - Date.now()))) last[r.partition] = Math.max(last[r.partition]!, r.offset);
  for (;;) {
    const r = await progress(f, f.repartition);
    if (last.every((o, p) => o < 0 || r.committed[p]! > o)) return;
    if (Date.now() > deadline) throw new Error(`the repartition topic not committed past ${last} within ${timeoutMs} ms: ${r.committed}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Every record of a topic a read_committed consumer reads, from the log start to the last stable offset. */
async function readCommitted(topic: string, timeoutMs: number): Promise<{ partition: number; offset: number; key: string | null; value: Buffer | null }[]> {
  const seam = new KafkajsClient({ bootstrapServers: brokers, clientId: `committed-reader-${topic}`, connectTimeoutMs: 10_000 });
  const consumer = seam.assignedConsumer({ isolation: 'read_committed', maxBufferedRecords: 20_000 });
  const records: { partition: number; offset: number; key: string | null; value: Buffer | null }[] = [];
  try {
    await consumer.connect();
    const tps = Array.from({ length: PARTITIONS }, (_, partition) => ({ topic, partition }));
    consumer.assign(tps);
    for (const tp of tps) consumer.seek(tp, 'earliest');
    const caughtUp = new Set<number>();
    const deadline = Date.now() + timeoutMs;
    while (caughtUp.size < PARTITIONS) {
      if (Date.now() > deadline) throw new Error(`${topic} not read to its last stable offset within ${timeoutMs} ms (caught up: ${[...caughtUp].join(',')})`);
      let polled;
      try {
        polled = await consumer.poll({ maxRecords: 10_000, timeoutMs: 500 });
      } catch (e) {
        // A repartition topic's consumed records are deleted as the application runs (its purge): read on from the new log start.
        const lost = (e as { reason?: string; partitions?: readonly { topic: string; partition: number }[] });
        if (lost.reason !== 'offset-out-of-range' || lost.partitions === undefined) throw e;
        for (const tp of lost.partitions) consumer.seek(tp, 'earliest');
        continue;
      }
      for (const p of polled) {
        for (const r of p.records) {
          records.push({ partition: p.partition, offset: r.offset!, key: r.key === null ? null : Buffer.from(r.key).toString(), value: r.value === null ? null : Buffer.from(r.value) });
        }
        if (p.lag === 0) caughtUp.add(p.partition);
        else caughtUp.delete(p.partition);
      }
    }
  } finally {
    await consumer.close().catch(() => undefined);
    await seam.close();
  }
  return records.sort((a, b) => a.partition - b.partition || a.offset - b.offset);
}
