/** Resolves after a turn of the event loop (timers and I/O callbacks run first): between slices of synchronous work. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
