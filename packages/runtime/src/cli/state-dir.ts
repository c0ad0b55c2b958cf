import { resolve } from 'node:path';

/** The state directory when --state-dir is not given: `.streams/` in the working directory. */
export const DEFAULT_STATE_DIR = '.streams';

/** The state directory the flags name (absolute). */
export function stateDirOf(flags: { readonly 'state-dir'?: string | undefined }): string {
  return resolve(flags['state-dir'] ?? DEFAULT_STATE_DIR);
}
