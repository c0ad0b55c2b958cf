// The outside programs the broker needs, Java and Maven, and the errors that say how to get one that is missing.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { SetupError } from './setup-error.ts';

/** `$JAVA_HOME/bin/java` when JAVA_HOME is set, as Kafka's own scripts do; otherwise `java` on the PATH. */
export function javaCommand(): string {
  const home = process.env.JAVA_HOME;
  return home ? join(home, 'bin', 'java') : 'java';
}

export function mavenCommand(): string {
  return 'mvn';
}

/** Fails with what to install when Java (and, to download the jars, Maven) cannot be found: before any work. */
export function requireTools(needMaven: boolean): void {
  if (!executable(javaCommand())) throw missingJava();
  if (needMaven && !executable(mavenCommand())) throw missingMaven();
}

/** Turns the spawn error of a program that is not installed into one that says what to install. */
export function missingTool(command: string, error: NodeJS.ErrnoException): Error {
  if (error.code !== 'ENOENT') return error;
  return command === mavenCommand() ? missingMaven() : missingJava();
}

function missingJava(): SetupError {
  const where = process.env.JAVA_HOME ? `JAVA_HOME (${process.env.JAVA_HOME}) has no bin/java` : `'java' is not on the PATH`;
  return new SetupError(
    `kafka: ${where}; the broker runs on the JVM. Install Java 17 or later (Debian/Ubuntu: ` +
      `apt-get install openjdk-17-jre-headless) or point JAVA_HOME at one.`,
  );
}

function missingMaven(): SetupError {
  return new SetupError(
    `kafka: Maven ('mvn') is not on the PATH; it downloads the broker's jars from Maven Central. ` +
      `Install Maven 3.6 or later (Debian/Ubuntu: apt-get install maven).`,
  );
}

/** Whether a command (a path, or a name looked up on the PATH) is an executable file. */
function executable(command: string): boolean {
  const candidates = command.includes('/')
    ? [command]
    : (process.env.PATH ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, command));
  return candidates.some((file) => {
    try {
      accessSync(file, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}
