/**
 * The process's output: records and results on stdout, logs and the live block on stderr. On a TTY (stderr), the
 * live block — a panel of lines (a topology's view) above a status line — stays at the bottom and is rewritten in
 * place; anything else printed on the screen erases it first and redraws it after, so that lines never mix with it.
 * Off a TTY there is no live block: callers log their status instead. With stdout redirected and stderr a TTY
 * (`streams run … > out.jsonl`), records go to stdout as they come, untouched by the block, which stays on the screen:
 * the JSON lines a pipe expects on stdout, the live view and the status line on the terminal.
 */
export class Terminal {
  /** True when stderr is a terminal: the live block is shown, logs are formatted for people. */
  readonly interactive: boolean;
  private statusText = '';
  private panelLines: readonly string[] = [];
  /** How many lines of the live block are on the screen now (the cursor is at the end of the last). */
  private drawn = 0;

  constructor(
    private readonly stdout: NodeJS.WriteStream = process.stdout,
    private readonly stderr: NodeJS.WriteStream = process.stderr,
  ) {
    this.interactive = stderr.isTTY === true;
  }

  /**
   * A line of output (a record, a result) on stdout. The live block is erased around it only when stdout is on the
   * screen too: redirected, a record does not touch the screen (no redraw per record).
   */
  out(line: string): void {
    const write = () => this.stdout.write(line.endsWith('\n') ? line : `${line}\n`);
    if (this.stdout.isTTY === true) this.around(write);
    else write();
  }

  /** A line on stderr (a log line, a message). */
  err(line: string): void {
    this.around(() => this.stderr.write(line.endsWith('\n') ? line : `${line}\n`));
  }

  /** Replaces the status line, the live block's last line (TTY only; cut to the terminal's width). */
  status(text: string): void {
    if (!this.interactive) return;
    this.statusText = this.fit(text);
    this.redraw();
  }

  /**
   * Replaces the panel, the lines above the status line (TTY only): each cut to the terminal's width, at most as many
   * as leave two rows of the terminal for the status and the line being logged (a line that wrapped, or a block
   * taller than the screen, could not be erased in place).
   */
  panel(lines: readonly string[]): void {
    if (!this.interactive) return;
    const rows = this.stderr.rows || 0;
    const shown = rows > 2 && lines.length > rows - 2 ? [...lines.slice(0, rows - 3), '…'] : lines;
    this.panelLines = shown.map((l) => this.fit(l));
    this.redraw();
  }

  /** Removes the live block for good (before the process exits). */
  clearStatus(): void {
    if (this.drawn > 0) this.stderr.write(this.erase());
    this.statusText = '';
    this.panelLines = [];
  }

  private around(write: () => void): void {
    if (this.drawn === 0) return void write();
    this.stderr.write(this.erase());
    write();
    this.stderr.write(this.block());
  }

  /** One write, so that the terminal never shows the block half drawn. */
  private redraw(): void {
    // Nothing drawn yet: the cursor is at the start of an empty line (after a log line), cleared all the same.
    const erase = this.drawn === 0 ? '\r\x1b[2K' : this.erase();
    this.stderr.write(erase + this.block());
  }

  /** What erases the block on the screen (and notes it gone): the status line alone, or from the panel's first line down. */
  private erase(): string {
    const lines = this.drawn;
    this.drawn = 0;
    if (lines === 0) return '';
    return lines === 1 ? '\r\x1b[2K' : `\x1b[${lines - 1}A\r\x1b[J`;
  }

  /** The block's text, the cursor left at the end of its last line (and notes it drawn). */
  private block(): string {
    const lines = this.statusText === '' ? this.panelLines : [...this.panelLines, this.statusText];
    this.drawn = lines.length;
    return lines.join('\n');
  }

  /** A line cut to the terminal's width, so that it stays one line. A pseudo-terminal may report 0 columns (no size set): then a usual width. */
  private fit(text: string): string {
    const width = this.stderr.columns || 120;
    return text.length >= width ? `${text.slice(0, Math.max(0, width - 2))}…` : text;
  }
}
