/** What a command does: runs with the arguments after its name and resolves with the exit code. */
export type CommandRun = (args: readonly string[]) => Promise<number>;

/** One `streams` command: its name, a line for `streams --help`, its own --help, and how to load what it runs. */
export interface CommandInfo {
  readonly name: string;
  readonly summary: string;
  /** The text `streams <name> --help` prints. */
  readonly help: string;
  /** Imports the command's module (its client library and runtime only then). */
  readonly load: () => Promise<CommandRun>;
}
