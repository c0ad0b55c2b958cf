/**
 * The names of the topics an application creates for itself, as Kafka Streams names them
 * (InternalTopologyBuilder#decorateTopic / ProcessorStateManager#storeChangelogTopic): one place, so that the
 * compiler, the driver and the topic plan cannot drift apart, and an application id can move between a Java Kafka
 * Streams deployment and ts-streams with its topics.
 */

/** `<applicationId>-<storeName>-changelog`: where a logged store's writes go, and what restores it. */
export function changelogTopic(applicationId: string, storeName: string): string {
  return `${applicationId}-${storeName}-changelog`;
}

/**
 * `<applicationId>-<topic>`: a repartition topic as the broker knows it. `topic` is the name the DSL gives it
 * (`<name>-repartition`, kept without the application id in the logical graph: SourceNode/SinkNode `internal`).
 */
export function repartitionTopic(applicationId: string, topic: string): string {
  return `${applicationId}-${topic}`;
}
