// Where the broker tooling keeps its files: everything under .kafka/ at the repository root (git-ignored).
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const KAFKA_VERSION = '4.4.0'; // pinned in pom.xml beside this file

export const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));
export const pomFile = fileURLToPath(new URL('pom.xml', import.meta.url));
export const cacheDir = join(repositoryRoot, '.kafka');
/** Maven's local repository for the broker's jars only, so a fresh machine downloads them once and nothing else. */
export const mavenRepository = join(cacheDir, 'm2');
/** One state file per running broker (`default` is `npm run kafka -- start`'s). */
export const brokersDir = join(cacheDir, 'brokers');
