import { StreamsError } from '../errors/streams-error.ts';

const MAX_INT32 = 0x7fffffff;

/**
 * A task: one sub-topology over one input partition, as Kafka Streams' TaskId. `toString()` is Kafka's
 * `<subtopology>_<partition>` (the id compileTask gives the task it builds, the name of its state directory);
 * collections key tasks by it.
 */
export class TaskId {
  constructor(
    readonly subtopology: number,
    readonly partition: number,
  ) {
    if (!isInt32(subtopology) || !isInt32(partition)) {
      throw new StreamsError(`A task id needs a sub-topology and a partition between 0 and ${MAX_INT32}; got ${subtopology}_${partition}.`);
    }
  }

  /** Parses Kafka's `<subtopology>_<partition>`; anything else is an error naming the text. */
  static parse(id: string): TaskId {
    const m = /^(\d{1,10})_(\d{1,10})$/.exec(id);
    if (!m) throw new StreamsError(`'${id}' is not a task id; a task id is '<subtopology>_<partition>', e.g. '0_3'.`);
    return new TaskId(Number(m[1]), Number(m[2]));
  }

  /** Kafka's TaskId order: by sub-topology, then partition. */
  static compare(a: TaskId, b: TaskId): number {
    return a.subtopology - b.subtopology || a.partition - b.partition;
  }

  equals(other: TaskId): boolean {
    return this.subtopology === other.subtopology && this.partition === other.partition;
  }

  toString(): string {
    return `${this.subtopology}_${this.partition}`;
  }
}

function isInt32(n: number): boolean {
  return Number.isInteger(n) && n >= 0 && n <= MAX_INT32;
}
