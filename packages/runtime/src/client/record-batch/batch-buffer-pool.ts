/**
 * Buffers for record batches of the usual size, reused once a batch is acknowledged: a producer writing 100,000s of
 * records a second fills a batch buffer every few hundred records, and fresh 64 KiB buffers for each would be
 * garbage the collector copies and frees all the time. A record larger than the usual size gets a buffer of its own,
 * not pooled.
 */
export class BatchBufferPool {
  readonly #free: Buffer[] = [];

  constructor(
    /** The size of a pooled buffer: a batch's bytes up to which records are added to it. */
    readonly bufferBytes: number,
    /** How many free buffers are kept at most. */
    private readonly maxFree: number,
  ) {}

  /** A buffer of at least `minBytes` (its contents are whatever was there before). */
  take(minBytes: number): Buffer {
    if (minBytes > this.bufferBytes) return Buffer.allocUnsafeSlow(minBytes);
    return this.#free.pop() ?? Buffer.allocUnsafeSlow(this.bufferBytes);
  }

  /** Gives back a buffer `take` returned, once nothing reads it any more. */
  give(buffer: Buffer): void {
    if (buffer.length === this.bufferBytes && this.#free.length < this.maxFree) this.#free.push(buffer);
  }
}
