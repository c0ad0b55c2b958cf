/**
 * A wake-up between a client adapter's fetching (kafkajs callbacks, the kafkats fetch loop) and the seam's calls:
 * wait() resolves at the next notify() or after `timeoutMs`, whichever comes first. Nothing is remembered: a waiter
 * checks its condition again after waking.
 */
export class Signal {
  #waiters: (() => void)[] = [];

  wait(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const wake = () => {
        clearTimeout(timer);
        resolve();
      };
      this.#waiters.push(wake);
      timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== wake);
        resolve();
      }, Math.max(0, timeoutMs));
    });
  }

  notify(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }
}
