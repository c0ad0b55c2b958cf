import type { ExecutionContext } from 'ava';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import type { JavaApps } from './java-apps.ts';

/**
 * What both migration tests set up on the broker: a kafkajs admin, state directories, the apps and JVMs they start —
 * all of it (the run's topics and groups, found by its id) removed when the test ends, whatever its outcome.
 */
export interface MigrationHarness {
  /** In every topic, group and application id of the run: what the teardown removes. */
  readonly id: string;
  readonly kafka: Kafka;
  readonly admin: Admin;
  /** A new state directory, removed at the end. */
  stateDir(name: string): string;
  /** ts-streams applications to close at the end (before the topics go). */
  readonly running: { close(): Promise<unknown> }[];
  /** JVMs to kill at the end. */
  readonly jvms: JavaApps[];
}

export async function migrationHarness(t: ExecutionContext, name: string, brokers: readonly string[]): Promise<MigrationHarness> {
  const id = randomUUID().slice(0, 8);
  const kafka = new Kafka({ clientId: `${name}-${id}`, brokers: [...brokers], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const dirs: string[] = [];
  const running: { close(): Promise<unknown> }[] = [];
  const jvms: JavaApps[] = [];
  t.teardown(async () => {
    for (const j of jvms) j.kill();
    await Promise.all(running.map((a) => a.close().catch(() => undefined)));
    const topics = (await admin.listTopics().catch(() => [])).filter((x) => x.includes(id));
    await admin.deleteTopics({ topics }).catch(() => undefined);
    const groups = (await admin.listGroups().catch(() => ({ groups: [] }))).groups.map((g) => g.groupId).filter((g) => g.includes(id));
    await admin.deleteGroups(groups).catch(() => undefined);
    await admin.disconnect();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  return {
    id, kafka, admin, running, jvms,
    stateDir: (dir) => {
      const d = mkdtempSync(join(tmpdir(), `${name}-${dir}-`));
      dirs.push(d);
      return d;
    },
  };
}

/** Waits until each of the topics has `partitions` partitions, each with a leader (a new topic's metadata propagates). */
export async function untilLeaders(admin: Admin, topics: readonly string[], partitions: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const ready = await admin.fetchTopicMetadata({ topics: [...topics] }).then(
      (m) => m.topics.length === topics.length && m.topics.every((x) => x.partitions.length === partitions && x.partitions.every((p) => p.leader >= 0)),
      () => false,
    );
    if (ready) return;
    if (Date.now() > deadline) throw new Error(`the topics ${topics.join(', ')} have no leaders after 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
