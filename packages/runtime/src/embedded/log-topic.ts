import type { LogPartition } from './log-partition.ts';

/** Kafka's retention.ms default: 7 days. */
export const DEFAULT_RETENTION_MS = 604_800_000;

/** What the embedded log keeps of a topic: as stored (JSON under its topic key) and its partitions in memory. */
export interface StoredTopic {
  /** Stable id: the records' keys carry it (log-keys.ts), so a topic made again under a name starts empty. */
  readonly id: number;
  readonly partitions: number;
  /** The topic-level configs it was created with (cleanup.policy, retention.ms, …), as strings, as Kafka keeps them. */
  readonly configs: Readonly<Record<string, string>>;
}

export class LogTopic {
  /** cleanup.policy has 'delete' (the default): records older than retention.ms go. */
  readonly deletes: boolean;
  /** cleanup.policy has 'compact': only the latest record of each key is kept (changelogs). */
  readonly compacts: boolean;
  /** retention.ms, or -1 (forever). */
  readonly retentionMs: number;

  constructor(
    readonly name: string,
    readonly stored: StoredTopic,
    readonly partitions: readonly LogPartition[],
  ) {
    const policy = (stored.configs['cleanup.policy'] ?? 'delete').split(',').map((p) => p.trim());
    this.deletes = policy.includes('delete');
    this.compacts = policy.includes('compact');
    const retention = Number(stored.configs['retention.ms'] ?? DEFAULT_RETENTION_MS);
    this.retentionMs = Number.isFinite(retention) && retention >= 0 ? retention : -1;
  }

  get id(): number {
    return this.stored.id;
  }
}
