import type { StoreSpec } from '@ts-streams/dsl';

/** Every internal topic keeps the producer's timestamps (Kafka Streams' INTERNAL_TOPIC_DEFAULT_OVERRIDES). */
const INTERNAL = { 'message.timestamp.type': 'CreateTime' } as const;

/** Kafka Streams 4.4's RepartitionTopicConfig: deleted once consumed (the runtime purges), kept until then. */
const REPARTITION = { ...INTERNAL, 'cleanup.policy': 'delete', 'segment.bytes': '52428800', 'retention.ms': '-1' } as const;

/** UnwindowedUnversionedChangelogTopicConfig: the latest value per key is the store. */
const KEY_VALUE_CHANGELOG = { ...INTERNAL, 'cleanup.policy': 'compact' } as const;

/** WindowedChangelogTopicConfig: compacted, and windows older than the store keeps are deleted. */
const WINDOWED_CHANGELOG = { ...INTERNAL, 'cleanup.policy': 'compact,delete' } as const;

/** StreamsConfig windowstore.changelog.additional.retention.ms: one day of slack for clock drift. */
export const DEFAULT_WINDOW_CHANGELOG_ADDITIONAL_RETENTION_MS = 86_400_000;

const LONG_MAX = (1n << 63n) - 1n;

/**
 * A repartition topic's configs, layered as Kafka Streams' InternalTopicConfig#properties: the library's < the
 * application's `topic.*` settings (`topicDefaults`).
 */
export function repartitionTopicConfigs(topicDefaults: Readonly<Record<string, string>>): Record<string, string> {
  return { ...REPARTITION, ...topicDefaults };
}

/**
 * A logged store's changelog configs: the library's < `topicDefaults` < the store's own (Materialized logConfig).
 * Window and session stores (InternalTopologyBuilder#createChangelogTopicConfig: isWindowStore) get compact,delete
 * with retention.ms = the store's retention + `additionalRetentionMs`, unless their own configs set retention.ms
 * (Java's Math.addExact, Long.MAX_VALUE on overflow).
 */
export function changelogTopicConfigs(
  store: StoreSpec,
  topicDefaults: Readonly<Record<string, string>>,
  additionalRetentionMs: number,
): Record<string, string> {
  const windowed = store.type === 'window' || store.type === 'timestamped-window' || store.type === 'session';
  const configs: Record<string, string> = { ...(windowed ? WINDOWED_CHANGELOG : KEY_VALUE_CHANGELOG), ...topicDefaults, ...store.logConfig };
  if (windowed && store.logConfig['retention.ms'] === undefined) {
    const sum = BigInt(store.retentionMs ?? 0) + BigInt(additionalRetentionMs);
    configs['retention.ms'] = String(sum > LONG_MAX ? LONG_MAX : sum);
  }
  return configs;
}

/** The changelog of a suppress() buffer: Kafka logs it as a key-value store (compact) with no configs of its own. */
export function bufferChangelogTopicConfigs(topicDefaults: Readonly<Record<string, string>>): Record<string, string> {
  return { ...KEY_VALUE_CHANGELOG, ...topicDefaults };
}
