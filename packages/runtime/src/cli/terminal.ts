/**
 * The process's output: records and results on stdout, logs and the status line on stderr. On a TTY (stderr), the
 * status line stays at the bottom and is rewritten in place; anything else printed clears it first and redraws it
 * after, so that lines never mix with it. Off a TTY there is no status line: callers log their status instead.
 */
export class Terminal {
  /** True when stderr is a terminal: a status line is shown, logs are formatted for people. */
  readonly interactive: boolean;
  private statusText = '';
  private shown = false;

  constructor(
    private readonly stdout: NodeJS.WriteStream = process.stdout,
    private readonly stderr: NodeJS.WriteStream = process.stderr,
  ) {
    this.interactive = stderr.isTTY === true;
  }

  /** A line of output (a record, a result) on stdout. */
  out(line: string): void {
    this.around(() => this.stdout.write(line.endsWith('\n') ? line : `${line}\n`));
  }

  /** A line on stderr (a log line, a message). */
  err(line: string): void {
    this.around(() => this.stderr.write(line.endsWith('\n') ? line : `${line}\n`));
  }

  /** Replaces the status line (TTY only; cut to the terminal's width, so that it stays on one line). */
  status(text: string): void {
    if (!this.interactive) return;
    // A pseudo-terminal may report 0 columns (no size set): then assume a usual width.
    const width = this.stderr.columns || 120;
    this.statusText = text.length >= width ? `${text.slice(0, Math.max(0, width - 2))}…` : text;
    this.stderr.write(`\r\x1b[2K${this.statusText}`);
    this.shown = true;
  }

  /** Removes the status line for good (before the process exits). */
  clearStatus(): void {
    if (this.shown) this.stderr.write('\r\x1b[2K');
    this.shown = false;
    this.statusText = '';
  }

  private around(write: () => void): void {
    if (!this.shown) return void write();
    this.stderr.write('\r\x1b[2K');
    write();
    this.stderr.write(this.statusText);
  }
}
