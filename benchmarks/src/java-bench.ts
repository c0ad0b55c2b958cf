import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lastLines, runTool } from '../../scripts/kafka/run-tool.ts';
import { javaCommand, mavenCommand, requireTools } from '../../scripts/kafka/tools.ts';
import { spawnRun, type SpawnedRun } from './run-process.ts';
import type { RunResult } from './run-result.ts';
import { RunWorker } from './run-worker.ts';

/** benchmarks/kafka-streams: the Java program (Kafka Streams 4.4.0, Kafka's Java clients) the suite runs beside ours. */
export const JAVA_PROJECT = fileURLToPath(new URL('../kafka-streams/', import.meta.url));
/**
 * Maven's local repository: the conformance generator's (conformance/.m2, git-ignored), which already holds
 * kafka-streams 4.4.0 and the build plugins wherever the conformance cases were generated.
 */
const MAVEN_REPOSITORY = resolve(JAVA_PROJECT, '..', '..', 'conformance', '.m2');
const TARGET = join(JAVA_PROJECT, 'target');

/**
 * Compiles the Java program and writes its runtime classpath (Maven: compile dependency:build-classpath), offline
 * first (nothing to download when the repository has it all), then online. Returns the classpath to run it with.
 */
export async function buildJavaBench(log: (line: string) => void = () => undefined): Promise<string> {
  requireTools(true);
  mkdirSync(TARGET, { recursive: true });
  const classpathFile = join(TARGET, 'classpath.txt');
  const args = (offline: boolean) => [
    '-B', '-q', ...(offline ? ['-o'] : []), '-f', join(JAVA_PROJECT, 'pom.xml'), `-Dmaven.repo.local=${MAVEN_REPOSITORY}`,
    'compile', 'dependency:build-classpath', `-Dmdep.outputFile=${classpathFile}`, '-Dmdep.includeScope=runtime',
  ];
  const logFile = join(TARGET, 'build.log');
  const started = performance.now();
  let run = await runTool(mavenCommand(), args(true), logFile);
  if (run.code !== 0) {
    log('kafka-streams bench: the offline Maven build did not resolve everything; building online (Maven Central)');
    run = await runTool(mavenCommand(), args(false), logFile);
  }
  if (run.code !== 0) {
    throw new Error(`Building benchmarks/kafka-streams failed (mvn exited with ${run.code}):\n${lastLines(run.output(), 20)}\nFull output: ${logFile}. Check that Maven Central is reachable for the first build.`);
  }
  log(`kafka-streams bench: the Java program built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return `${join(TARGET, 'classes')}:${readFileSync(classpathFile, 'utf8').trim()}`;
}

/** Extra JVM options for every Java run (default: none, the JVM's own defaults, as a Kafka Streams app gets them). */
function jvmOptions(): string[] {
  return (process.env['BENCH_JAVA_OPTS'] ?? '').split(/\s+/).filter((s) => s !== '');
}

type JavaArgs = Readonly<Record<string, string | number>>;

/** Runs one mode of the Java program (Main.java says which) with its arguments (`--name value`). */
export type JavaRunner = <T = RunResult>(mode: string, args: JavaArgs) => Promise<SpawnedRun<T>>;

function argv(mode: string, args: JavaArgs): string[] {
  return [mode, ...Object.entries(args).flatMap(([k, v]) => [`--${k}`, String(v)])];
}

/** Runs one mode of the Java program in a JVM of its own (the measured runs: their CPU seconds and RSS are their own). */
export function runJava<T = RunResult>(classpath: string, mode: string, args: JavaArgs): Promise<SpawnedRun<T>> {
  return spawnRun<T>(`java ${mode} ${args['workload'] ?? ''}`.trim(), javaCommand(), [...jvmOptions(), '-cp', classpath, 'dev.tsstreams.bench.Main', ...argv(mode, args)]);
}

/** A JVM per run. */
export function javaProcesses(classpath: string): JavaRunner {
  return (mode, args) => runJava(classpath, mode, args);
}

/** One JVM (Main's mode `serve`) doing every run in turn: the smoke run's. close() when done. */
export function javaWorker(classpath: string): { run: JavaRunner; close: () => Promise<void> } {
  const worker = new RunWorker('the Java worker (Main serve)', javaCommand(), [...jvmOptions(), '-cp', classpath, 'dev.tsstreams.bench.Main', 'serve']);
  return {
    run: (mode, args) => {
      const line = argv(mode, args);
      if (line.some((a) => a.includes('\t'))) throw new Error(`java ${mode}: an argument holds a tab, which the Java worker splits its lines on.`);
      return worker.run(`java ${mode} ${args['workload'] ?? ''}`.trim(), line.join('\t'));
    },
    close: () => worker.close(),
  };
}
