// An error of the broker tooling whose message names the cause and the fix: printed as is, without a stack trace.
export class SetupError extends Error {
  override readonly name = 'SetupError';
}
