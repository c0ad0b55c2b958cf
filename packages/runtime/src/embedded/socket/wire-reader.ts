import { ClientError } from '../../errors/client-error.ts';

/**
 * Reads one message of the embedded log's socket protocol (see WireWriter for the encoding). Byte arrays are views
 * of the message (no copy): a fetched batch's keys and values point into the frame they came in, as records read
 * from RocksDB point into the page they were read with. A message shorter than what it says is a ClientError
 * 'fatal' (a peer speaking something else).
 */
export class WireReader {
  private at = 0;

  constructor(private readonly buf: Buffer) {}

  get remaining(): number {
    return this.buf.length - this.at;
  }

  u8(): number {
    this.need(1);
    return this.buf[this.at++]!;
  }

  u32(): number {
    this.need(4);
    const v = this.buf.readUInt32BE(this.at);
    this.at += 4;
    return v;
  }

  f64(): number {
    this.need(8);
    const v = this.buf.readDoubleBE(this.at);
    this.at += 8;
    return v;
  }

  string(): string {
    const n = this.u32();
    this.need(n);
    const s = this.buf.toString('utf8', this.at, this.at + n);
    this.at += n;
    return s;
  }

  bytes(): Buffer {
    const n = this.u32();
    this.need(n);
    const b = this.buf.subarray(this.at, this.at + n);
    this.at += n;
    return b;
  }

  json<T>(): T {
    return JSON.parse(this.string()) as T;
  }

  private need(n: number): void {
    if (this.at + n > this.buf.length) {
      throw new ClientError(`A message on the embedded log's socket ended early (${this.buf.length} bytes, ${this.at + n} needed): the peer speaks another protocol.`, 'fatal');
    }
  }
}
