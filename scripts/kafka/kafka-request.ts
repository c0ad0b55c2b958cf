// One request to a Kafka broker over a plain socket, and its response: just enough of the protocol for the broker
// tooling to tell when a broker it started is ready (no Kafka client: starting a broker needs nothing but node,
// and a client's own retries and logging would hide what happened). Non-flexible versions only: request header v1
// (api key, version, correlation id, client id), response header v0 (correlation id).
import { connect } from 'node:net';

const CLIENT_ID = 'ts-streams-kafka-tooling';
const CORRELATION_ID = 1;

/** Sends `body` as request `apiKey`/`version` to 127.0.0.1:port; resolves with the response body. */
export function kafkaRequest(port: number, apiKey: number, version: number, body: Buffer, timeoutMs: number): Promise<Reader> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let received = Buffer.alloc(0);
    const finish = (error: Error | undefined, response?: Reader) => {
      socket.destroy();
      if (error) reject(error);
      else resolve(response!);
    };
    socket.setTimeout(timeoutMs, () => finish(new Error(`no answer from 127.0.0.1:${port} within ${timeoutMs} ms`)));
    socket.on('error', (error) => finish(error));
    socket.on('connect', () => {
      const header = new Writer().int16(apiKey).int16(version).int32(CORRELATION_ID).string(CLIENT_ID).bytes();
      const size = Buffer.alloc(4);
      size.writeInt32BE(header.length + body.length, 0);
      socket.write(Buffer.concat([size, header, body]));
    });
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 4 || received.length < 4 + received.readInt32BE(0)) return;
      const response = new Reader(received.subarray(4, 4 + received.readInt32BE(0)));
      if (response.int32() !== CORRELATION_ID) finish(new Error('a response with a foreign correlation id'));
      else finish(undefined, response);
    });
    socket.on('end', () => finish(new Error(`127.0.0.1:${port} closed the connection without answering`)));
  });
}

export class Writer {
  private readonly parts: Buffer[] = [];

  int8(value: number): this {
    return this.push(1, (b) => b.writeInt8(value, 0));
  }

  int16(value: number): this {
    return this.push(2, (b) => b.writeInt16BE(value, 0));
  }

  int32(value: number): this {
    return this.push(4, (b) => b.writeInt32BE(value, 0));
  }

  string(value: string): this {
    const bytes = Buffer.from(value, 'utf8');
    this.int16(bytes.length);
    this.parts.push(bytes);
    return this;
  }

  bytes(): Buffer {
    return Buffer.concat(this.parts);
  }

  private push(size: number, write: (b: Buffer) => void): this {
    const b = Buffer.alloc(size);
    write(b);
    this.parts.push(b);
    return this;
  }
}

export class Reader {
  private at = 0;

  constructor(private readonly buffer: Buffer) {}

  int8(): number {
    return this.buffer.readInt8(this.advance(1));
  }

  int16(): number {
    return this.buffer.readInt16BE(this.advance(2));
  }

  int32(): number {
    return this.buffer.readInt32BE(this.advance(4));
  }

  int64(): bigint {
    return this.buffer.readBigInt64BE(this.advance(8));
  }

  /** A string or a nullable string (length -1 is null). */
  string(): string | null {
    const length = this.int16();
    if (length < 0) return null;
    return this.buffer.toString('utf8', this.advance(length), this.at);
  }

  private advance(size: number): number {
    const at = this.at;
    if (at + size > this.buffer.length) throw new Error('a truncated Kafka response');
    this.at += size;
    return at;
  }
}
