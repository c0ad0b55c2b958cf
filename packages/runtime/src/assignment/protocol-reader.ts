import { TaskId } from './task-id.ts';

/** Thrown by ProtocolReader when the bytes are not what the field needs; the decoders turn it into their error. */
export class MalformedProtocolBytes extends Error {
  override name = 'MalformedProtocolBytes';
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads what ProtocolWriter writes, checking every field against the bytes left, so garbage (a truncated
 * message, a length or count that runs past the end, invalid UTF-8, a negative task id, trailing bytes) is an
 * error saying what and where, never a huge allocation or a silently wrong value.
 */
export class ProtocolReader {
  private pos = 0;
  constructor(private readonly buf: Buffer) {}

  get offset(): number {
    return this.pos;
  }

  bytes(n: number, what: string): Buffer {
    this.need(n, what);
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }

  int32(what: string): number {
    this.need(4, what);
    const n = this.buf.readInt32BE(this.pos);
    this.pos += 4;
    return n;
  }

  int64(what: string): number {
    this.need(8, what);
    const n = this.buf.readBigInt64BE(this.pos);
    this.pos += 8;
    if (n < BigInt(Number.MIN_SAFE_INTEGER) || n > BigInt(Number.MAX_SAFE_INTEGER)) this.fail(`${what} ${n} is beyond a safe integer`, 8);
    return Number(n);
  }

  string(what: string): string {
    this.need(2, `${what} length`);
    const len = this.buf.readInt16BE(this.pos);
    if (len < 0) this.fail(`${what} has a negative length (${len})`);
    this.pos += 2;
    const b = this.bytes(len, what);
    try {
      return utf8.decode(b);
    } catch {
      return this.fail(`${what} is not valid UTF-8`, len);
    }
  }

  /** A list count, checked against the bytes left (each element at least `minElementBytes`). */
  count(what: string, minElementBytes: number): number {
    const n = this.int32(`${what} count`);
    if (n < 0) this.fail(`${what} count is negative (${n})`, 4);
    if (n * minElementBytes > this.buf.length - this.pos) this.fail(`${what} count ${n} needs more than the ${this.buf.length - this.pos} bytes left`, 4);
    return n;
  }

  task(what: string): TaskId {
    const subtopology = this.int32(`${what} sub-topology`);
    const partition = this.int32(`${what} partition`);
    if (subtopology < 0 || partition < 0) this.fail(`${what}: task id ${subtopology}_${partition} is negative`, 8);
    return new TaskId(subtopology, partition);
  }

  /** A list of distinct tasks. */
  tasks(what: string): TaskId[] {
    const n = this.count(what, 8);
    const tasks: TaskId[] = [];
    const seen = new Set<string>();
    for (let i = 0; i < n; i++) {
      const t = this.task(what);
      const key = t.toString();
      if (seen.has(key)) this.fail(`${what} lists task ${key} twice`, 8);
      seen.add(key);
      tasks.push(t);
    }
    return tasks;
  }

  /** Every byte was read: trailing bytes mean the message is not what its version says. */
  end(): void {
    if (this.pos !== this.buf.length) this.fail(`${this.buf.length - this.pos} unexpected bytes follow the message`, 0);
  }

  fail(reason: string, rewind = 0): never {
    throw new MalformedProtocolBytes(`${reason} (at byte ${this.pos - rewind} of ${this.buf.length})`);
  }

  private need(n: number, what: string): void {
    if (this.pos + n > this.buf.length) this.fail(`it ends inside ${what} (${n} bytes needed, ${this.buf.length - this.pos} left)`);
  }
}
