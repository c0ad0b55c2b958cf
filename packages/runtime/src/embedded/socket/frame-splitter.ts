import { ClientError } from '../../errors/client-error.ts';

/** The largest message either side accepts: a length past it means the peer speaks something else. */
export const MAX_FRAME = 1 << 30;

/**
 * Cuts a byte stream (a socket's 'data' chunks) into the frames of the embedded log's socket protocol: a u32
 * length, then that many bytes. Each complete frame is handed on as a Buffer of its own bytes (never a view of a
 * buffer reused later: fetched records point into it for as long as they are kept).
 */
export class FrameSplitter {
  private chunks: Buffer[] = [];
  private buffered = 0;

  constructor(private readonly onFrame: (frame: Buffer) => void) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    while (this.buffered >= 4) {
      const length = this.peekLength();
      if (length > MAX_FRAME) {
        throw new ClientError(`A frame on the embedded log's socket says it is ${length} bytes long (at most ${MAX_FRAME}): the peer speaks another protocol.`, 'fatal');
      }
      if (this.buffered < 4 + length) return;
      const all = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.buffered);
      this.onFrame(all.subarray(4, 4 + length));
      const rest = all.subarray(4 + length);
      this.chunks = rest.length === 0 ? [] : [rest];
      this.buffered = rest.length;
    }
  }

  private peekLength(): number {
    const first = this.chunks[0]!;
    if (first.length >= 4) return first.readUInt32BE(0);
    return Buffer.concat(this.chunks, this.buffered).readUInt32BE(0);
  }
}
