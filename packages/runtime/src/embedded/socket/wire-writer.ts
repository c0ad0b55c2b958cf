/**
 * Writes one message of the embedded log's socket protocol (log-protocol.ts) into a growing buffer: big-endian
 * integers, offsets and timestamps as float64 (exact for every offset and time a log holds: integers below 2^53),
 * strings and byte arrays with their length first. The first four bytes are left for the frame's length, which
 * finish() fills in, so a message goes to the socket as one write with no copy.
 */
export class WireWriter {
  private buf: Buffer;
  private at = 4;

  constructor(initialSize = 256) {
    this.buf = Buffer.allocUnsafe(Math.max(16, initialSize));
  }

  u8(v: number): this {
    this.room(1);
    this.buf[this.at++] = v;
    return this;
  }

  u32(v: number): this {
    this.room(4);
    this.buf.writeUInt32BE(v, this.at);
    this.at += 4;
    return this;
  }

  f64(v: number): this {
    this.room(8);
    this.buf.writeDoubleBE(v, this.at);
    this.at += 8;
    return this;
  }

  /** u32 byte length, then UTF-8. */
  string(s: string): this {
    const n = Buffer.byteLength(s);
    this.room(4 + n);
    this.buf.writeUInt32BE(n, this.at);
    this.buf.write(s, this.at + 4, 'utf8');
    this.at += 4 + n;
    return this;
  }

  /** u32 length, then the bytes. */
  bytes(b: Uint8Array): this {
    this.room(4 + b.length);
    this.buf.writeUInt32BE(b.length, this.at);
    this.buf.set(b, this.at + 4);
    this.at += 4 + b.length;
    return this;
  }

  /** A value as JSON (the admin calls' small arguments and answers). */
  json(v: unknown): this {
    return this.string(JSON.stringify(v) ?? 'null');
  }

  /** The frame: its length (of what follows the length), then the message. The writer is done with. */
  finish(): Buffer {
    this.buf.writeUInt32BE(this.at - 4, 0);
    return this.buf.subarray(0, this.at);
  }

  private room(n: number): void {
    if (this.at + n <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.at + n, this.buf.length * 2));
    this.buf.copy(grown, 0, 0, this.at);
    this.buf = grown;
  }
}
