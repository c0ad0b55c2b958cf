/**
 * Wakes readers of the embedded log when it changes: wait() resolves at the next notify() or after `timeoutMs`,
 * whichever comes first (a waiter then reads again: nothing is remembered). One timer per wait, not per record.
 */
export class WriteSignal {
  private waiters: (() => void)[] = [];

  wait(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        const i = this.waiters.indexOf(wake);
        if (i >= 0) this.waiters.splice(i, 1);
        resolve();
      }, Math.max(0, timeoutMs));
      this.waiters.push(wake);
    });
  }

  notify(): void {
    if (this.waiters.length === 0) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
