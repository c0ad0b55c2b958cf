import type { TaskId } from './task-id.ts';

/**
 * Writes the big-endian fields of ts-streams' rebalance messages (subscription and assignment userData), as
 * Kafka's protocol does: int32/int64 numbers, int16-length UTF-8 strings, int32-counted lists. Runs once per
 * member per rebalance: clarity over speed.
 */
export class ProtocolWriter {
  private buf = Buffer.alloc(256);
  private pos = 0;

  bytes(b: Uint8Array): this {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
    return this;
  }

  int32(n: number): this {
    this.ensure(4);
    this.pos = this.buf.writeInt32BE(n, this.pos);
    return this;
  }

  int64(n: number): this {
    this.ensure(8);
    this.pos = this.buf.writeBigInt64BE(BigInt(n), this.pos);
    return this;
  }

  string(s: string): this {
    const b = Buffer.from(s, 'utf8');
    if (b.length > 0x7fff) throw new RangeError(`A string of ${b.length} UTF-8 bytes is longer than the protocol's 32767.`);
    this.ensure(2);
    this.pos = this.buf.writeInt16BE(b.length, this.pos);
    return this.bytes(b);
  }

  task(t: TaskId): this {
    return this.int32(t.subtopology).int32(t.partition);
  }

  tasks(ts: readonly TaskId[]): this {
    this.int32(ts.length);
    for (const t of ts) this.task(t);
    return this;
  }

  toBuffer(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.pos));
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const grown = Buffer.alloc(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(grown, 0, 0, this.pos);
    this.buf = grown;
  }
}
