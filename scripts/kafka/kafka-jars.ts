// The broker's jars: Apache Kafka from Maven Central, copied by `mvn dependency:copy-dependencies` into
// .kafka/lib-<version>-<hash of pom.xml>/ once (a changed pom fetches again). Maven's local repository is
// .kafka/m2, so a fresh machine (CI) downloads them once per run and nothing outside the repository is touched.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir, KAFKA_VERSION, mavenRepository, pomFile } from './paths.ts';
import { lastLines, runTool } from './run-tool.ts';
import { SetupError } from './setup-error.ts';
import { mavenCommand, requireTools } from './tools.ts';

export interface KafkaJars {
  dir: string;
  count: number;
  /** True when this call downloaded them. */
  fetched: boolean;
}

export function kafkaJarsDir(): string {
  const pomHash = createHash('sha256').update(readFileSync(pomFile)).digest('hex').slice(0, 12);
  return join(cacheDir, `lib-${KAFKA_VERSION}-${pomHash}`);
}

/** The directory of the broker's jars, downloading them first when they are not there yet. */
export async function ensureKafkaJars(): Promise<KafkaJars> {
  const dir = kafkaJarsDir();
  if (existsSync(dir)) return { dir, count: jarCount(dir), fetched: false };
  requireTools(true);
  mkdirSync(cacheDir, { recursive: true });
  // Copied into a directory of its own and renamed when complete: an interrupted or concurrent fetch never leaves
  // a partial set of jars where a start would take it for the whole.
  const partial = `${dir}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  const logFile = join(cacheDir, 'fetch.log');
  const run = await runTool(
    mavenCommand(),
    [
      '-B',
      '-q',
      // Try Maven Central again even if an earlier attempt failed (Maven remembers a failed download otherwise).
      '-U',
      '-f',
      pomFile,
      `-Dmaven.repo.local=${mavenRepository}`,
      'dependency:copy-dependencies',
      `-DoutputDirectory=${partial}`,
      '-DincludeScope=runtime',
    ],
    logFile,
  );
  if (run.code !== 0 || !existsSync(partial)) {
    rmSync(partial, { recursive: true, force: true });
    throw new SetupError(
      `kafka: Maven could not fetch Apache Kafka ${KAFKA_VERSION}'s jars (mvn exited with ${run.code}); ` +
        `its output ends with:\n${lastLines(run.output(), 15)}\n` +
        `Check that Maven Central (or the mirror in ~/.m2/settings.xml) is reachable, then run ` +
        `'npm run kafka -- fetch' again. Full output: ${logFile}`,
    );
  }
  try {
    renameSync(partial, dir);
  } catch (error) {
    // Another fetch finished first: its jars are the same.
    rmSync(partial, { recursive: true, force: true });
    if (!existsSync(dir)) throw error;
  }
  return { dir, count: jarCount(dir), fetched: true };
}

function jarCount(dir: string): number {
  return readdirSync(dir).filter((name) => name.endsWith('.jar')).length;
}
