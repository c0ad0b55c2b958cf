// The Java side of the migration test: builds java/ (Kafka Streams 4.4.0, Maven, as the benchmark suite builds its
// Java program: benchmarks/src/java-bench.ts) and runs its applications in one JVM until told to close them.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { lastLines, runTool } from '../../scripts/kafka/run-tool.ts';
import { javaCommand, mavenCommand, missingTool, requireTools } from '../../scripts/kafka/tools.ts';

const PROJECT = fileURLToPath(new URL('./java/', import.meta.url));
/** The conformance generator's Maven repository (git-ignored): kafka-streams 4.4.0, Jackson and the plugins. */
const MAVEN_REPOSITORY = resolve(PROJECT, '..', '..', '..', 'conformance', '.m2');
const TARGET = join(PROJECT, 'target');

/**
 * Compiles java/ and returns the classpath to run it with: offline first (conformance/.m2 has everything wherever
 * `bash conformance/generate.sh` ran), online (Maven Central) if that fails. Fails naming what is missing.
 * Several test files build it at once (ava runs each file in a process of its own): one build at a time (a lock
 * directory in target/), and each process runs its JVMs off its own copy of the classes — another file's build
 * rewrites target/classes while this one's JVMs still load classes from it.
 */
export async function buildJavaApps(): Promise<string> {
  requireTools(true);
  mkdirSync(TARGET, { recursive: true });
  const release = await buildLock(join(TARGET, 'build.lock'));
  try {
    const classpath = await build();
    const classes = mkdtempSync(join(tmpdir(), 'migration-classes-'));
    process.once('exit', () => rmSync(classes, { recursive: true, force: true }));
    cpSync(join(TARGET, 'classes'), classes, { recursive: true });
    return `${classes}:${classpath}`;
  } finally {
    release();
  }
}

/** Takes the lock directory (mkdir is atomic), waiting while another process holds it; one older than 10 minutes is stale. */
async function buildLock(dir: string): Promise<() => void> {
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    try {
      mkdirSync(dir);
      return () => rmSync(dir, { recursive: true, force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const age = (() => {
        try {
          return Date.now() - statSync(dir).mtimeMs;
        } catch {
          return 0; // released meanwhile
        }
      })();
      if (age > 10 * 60_000) rmSync(dir, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`Building examples/kafka-streams-migration/java: ${dir} held for 10 minutes by another build; remove it if no build runs.`);
      else await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** One Maven build of java/; the runtime classpath of its dependencies (jars in conformance/.m2). */
async function build(): Promise<string> {
  const classpathFile = join(TARGET, 'classpath.txt');
  const args = (offline: boolean) => [
    '-B', '-q', ...(offline ? ['-o'] : []), '-f', join(PROJECT, 'pom.xml'), `-Dmaven.repo.local=${MAVEN_REPOSITORY}`,
    'compile', 'dependency:build-classpath', `-Dmdep.outputFile=${classpathFile}`, '-Dmdep.includeScope=runtime',
  ];
  const logFile = join(TARGET, 'build.log');
  let run = await runTool(mavenCommand(), args(true), logFile);
  if (run.code !== 0) run = await runTool(mavenCommand(), args(false), logFile);
  if (run.code !== 0) {
    throw new Error(
      `Building examples/kafka-streams-migration/java failed (mvn exited with ${run.code}):\n${lastLines(run.output(), 20)}\n` +
        `Full output: ${logFile}. Run 'bash conformance/generate.sh' once (it fills conformance/.m2 with Kafka Streams 4.4.0's jars), or check that Maven Central is reachable.`,
    );
  }
  return readFileSync(classpathFile, 'utf8').trim();
}

/**
 * An application for the Java program: W5's count ('counts'), page views ('views') or a windowed count emitted on
 * window close ('final-counts'), its id and topics.
 */
export interface JavaApp {
  readonly kind: 'counts' | 'views' | 'final-counts';
  readonly applicationId: string;
  readonly input: string;
  readonly output: string;
}

/**
 * Kafka Streams applications running in a JVM of their own (java/…/Main.java). Its status lines are kept: a line
 * starting "ERROR" fails whatever waits on it; close() asks for a clean close (commit, leave the group) and resolves
 * once the JVM said CLOSED and exited 0.
 */
export class JavaApps {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly lines: string[] = [];
  private stderr = '';
  private readonly exited: Promise<number | string>;

  constructor(classpath: string, options: { bootstrapServers: readonly string[]; stateDir: string; apps: readonly JavaApp[]; log: (line: string) => void }) {
    const args = ['--bootstrap', options.bootstrapServers.join(','), '--state-dir', options.stateDir];
    for (const a of options.apps) args.push('--app', `${a.kind}:${a.applicationId}:${a.input}:${a.output}`);
    // A small, quick JVM: a few thousand records need no optimising compiler, and the machine is shared.
    const jvm = ['-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-Xmx256m'];
    this.child = spawn(javaCommand(), [...jvm, '-cp', classpath, 'dev.tsstreams.migration.Main', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.exited = new Promise((resolve, reject) => {
      this.child.on('error', (e) => reject(missingTool(javaCommand(), e)));
      this.child.on('exit', (code, signal) => resolve(code ?? String(signal)));
    });
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      this.lines.push(line);
      options.log(`java: ${line}`);
    });
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (s: string) => (this.stderr += s));
  }

  /** Records restored per changelog topic, from the RESTORED lines printed so far. */
  restored(): Map<string, number> {
    const out = new Map<string, number>();
    for (const line of this.lines) {
      const [word, topic, , records] = line.split(' ');
      if (word === 'RESTORED') out.set(topic!, (out.get(topic!) ?? 0) + Number(records));
    }
    return out;
  }

  /** The first ERROR line the JVM printed, or its early exit, as an Error; undefined while all is well. */
  failure(): Error | undefined {
    const error = this.lines.find((l) => l.startsWith('ERROR'));
    if (error !== undefined) return new Error(`Kafka Streams (Java) failed: ${error}${this.stderr ? `\n${lastLines(this.stderr, 20)}` : ''}`);
    if (this.child.exitCode !== null && !this.lines.includes('CLOSED')) {
      return new Error(`The Java program exited with ${this.child.exitCode} before it was closed:\n${lastLines(this.stderr, 20)}`);
    }
    return undefined;
  }

  /** Closes the applications cleanly (their offsets committed, the group left); rejects on a failure or after `timeoutMs`. */
  async close(timeoutMs: number): Promise<void> {
    if (this.child.exitCode === null) this.child.stdin.end('close\n');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Kafka Streams (Java) did not close within ${timeoutMs} ms:\n${this.lines.join('\n')}\n${lastLines(this.stderr, 20)}`)), timeoutMs);
    });
    try {
      const code = await Promise.race([this.exited, timeout]);
      const failure = this.failure();
      if (failure !== undefined) throw failure;
      if (code !== 0 || !this.lines.includes('CLOSED')) throw new Error(`The Java program exited with ${code} without closing cleanly:\n${lastLines(this.stderr, 20)}`);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Ends the JVM if it still runs (a test that failed midway): SIGKILL to this child only. */
  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}
