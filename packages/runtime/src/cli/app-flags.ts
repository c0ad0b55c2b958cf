/** The flags of the commands about an application (run, lag, reset). */
export const APP_FLAGS = {
  'app-id': { type: 'string' },
  config: { type: 'string' },
  brokers: { type: 'string' },
  'state-dir': { type: 'string' },
  client: { type: 'string' },
} as const;

/** The values of APP_FLAGS. */
export interface AppFlags {
  readonly 'app-id'?: string | undefined;
  readonly 'state-dir'?: string | undefined;
  readonly brokers?: string | undefined;
  readonly config?: string | undefined;
  readonly client?: string | undefined;
}
