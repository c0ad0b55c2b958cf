import type { Serde, SerdeType } from '@ts-streams/dsl';
import type { GeneratedRecord, GeneratorContext } from '@ts-streams/runtime';

/** The serdes of each input topic an example's generator writes, by topic name. */
export type TopicSerdes = Readonly<Record<string, { readonly key: Serde<unknown>; readonly value: Serde<unknown> }>>;

/**
 * One record of a generator's plan: the topic, the typed record (its `timestamp` is the event time) and `at`, the
 * wall-clock time (epoch ms) it is due to be sent. A discriminated union on `topic`, so that a test filtering on
 * the topic gets that topic's key and value types.
 */
export type Planned<M extends TopicSerdes> = {
  [T in keyof M & string]: {
    readonly at: number;
    readonly topic: T;
    readonly record: GeneratedRecord<SerdeType<M[T]['key']>, SerdeType<M[T]['value']>>;
  };
}[keyof M & string];

/** The most records sent in one `send` call: a plan's backlog (history before its start) goes out in a few calls. */
const MAX_BATCH = 500;

/**
 * Plays a plan on a generator context: sends each record when it is due (those already due together, consecutive
 * records of one topic in one `send`), sleeping in between, until the plan ends or the signal aborts. The plan is a
 * pure function of a seed and a start time; this is the only place wall-clock time is read.
 */
export async function playPlan<M extends TopicSerdes>(context: GeneratorContext, serdes: M, plan: Iterable<Planned<M>>): Promise<void> {
  const records = plan[Symbol.iterator]();
  let next = records.next();
  while (!next.done && !context.signal.aborted) {
    const wait = next.value.at - Date.now();
    if (wait > 0) {
      await context.sleep(wait);
      continue;
    }
    const now = Date.now();
    const due: Planned<M>[] = [];
    while (!next.done && next.value.at <= now && due.length < MAX_BATCH) {
      due.push(next.value);
      next = records.next();
    }
    await sendInOrder(context, serdes, due);
  }
}

/** Sends records in their order, one `send` per run of consecutive records of the same topic. */
async function sendInOrder<M extends TopicSerdes>(context: GeneratorContext, serdes: M, due: readonly Planned<M>[]): Promise<void> {
  let start = 0;
  while (start < due.length) {
    const topic = due[start]!.topic;
    let end = start + 1;
    while (end < due.length && due[end]!.topic === topic) end++;
    // The union's record types are tied to `topic` only through the mapped type; send takes them as they are.
    const records = due.slice(start, end).map((p) => p.record as GeneratedRecord<unknown, unknown>);
    await context.send(topic, serdes[topic]!, records);
    start = end;
  }
}
