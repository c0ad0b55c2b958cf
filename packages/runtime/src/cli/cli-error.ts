/**
 * A mistake the user can fix, reported as one message that names the cause and the fix, then a non-zero exit:
 * 2 for a wrong command line (an unknown command or flag, a missing argument: as most CLIs), 1 for anything else
 * (a file that does not exist, a broker that does not answer, a topic that is not there). main() prints it without a
 * stack trace; any other error is a bug or a failure of the application, printed with its cause.
 */
export class CliError extends Error {
  override name = 'CliError';

  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
    options?: { readonly cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A wrong command line: exit code 2, and the message says where the command's help is. */
export function usageError(command: string | undefined, message: string): CliError {
  const help = command === undefined ? 'streams --help' : `streams ${command} --help`;
  return new CliError(`${message} (${help} lists what it takes).`, 2);
}
