// What the broker runs with: a single KRaft node that is both broker and controller on 127.0.0.1, with the settings
// that make a test broker fast and strict, and the JVM options that suit a small machine.

/** Partitions of the offsets topic (Kafka's default 50 take seconds to create; its own test clusters use 5). */
export const OFFSETS_TOPIC_PARTITIONS = 5;

export interface BrokerConfigInput {
  port: number;
  controllerPort: number;
  dataDir: string;
}

export function serverProperties({ port, controllerPort, dataDir }: BrokerConfigInput): string {
  const settings: Record<string, string | number | boolean> = {
    'process.roles': 'broker,controller',
    'node.id': 1,
    'controller.quorum.voters': `1@127.0.0.1:${controllerPort}`,
    listeners: `PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${port}`,
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map': 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    'log.dirs': dataDir,
    // A missing topic must be an error the runtime reports, not a topic silently created.
    'auto.create.topics.enable': false,
    'num.partitions': 1,
    'default.replication.factor': 1,
    // One broker: every internal topic has one replica, and one in-sync replica is enough to write.
    'offsets.topic.replication.factor': 1,
    'transaction.state.log.replication.factor': 1,
    'transaction.state.log.min.isr': 1,
    'share.coordinator.state.topic.replication.factor': 1,
    'share.coordinator.state.topic.min.isr': 1,
    // Fewer partitions than the default 50 for the internal topics: the start's readiness check (the offsets
    // topic) and a first transaction create them, and 50 partitions take seconds.
    'offsets.topic.num.partitions': OFFSETS_TOPIC_PARTITIONS,
    'transaction.state.log.num.partitions': OFFSETS_TOPIC_PARTITIONS,
    // A group rebalances as soon as its members join (the default waits 3 s for more), and a test may give its
    // members a short session timeout so that a killed one leaves the group quickly (as Kafka's test clusters).
    'group.initial.rebalance.delay.ms': 0,
    'group.min.session.timeout.ms': 0,
    // Nothing is deleted for its age: tests write records with fixed event times (windows of 1970, days of 2023), and
    // the default retention (7 days past a segment's newest timestamp, checked every 5 minutes) would delete them
    // mid-test, whole segments at a time. Topics that set their own retention.ms (windowed changelogs) keep it.
    'log.retention.ms': -1,
    // The log cleaner (compacted changelogs) allocates its dedupe buffer up front: 128 MiB by default.
    'log.cleaner.dedupe.buffer.size': 16 * 1024 * 1024,
  };
  return Object.entries(settings)
    .map(([name, value]) => `${name}=${value}`)
    .join('\n')
    .concat('\n');
}

/** The broker logs through log4j2 (into broker.log beside its data); Kafka's distribution ships this as a file. */
export function log4j2Properties(level: 'INFO' | 'WARN'): string {
  return [
    'status = warn',
    'appender.console.type = Console',
    'appender.console.name = STDOUT',
    'appender.console.layout.type = PatternLayout',
    'appender.console.layout.pattern = [%d] %p %m (%c)%n',
    `rootLogger.level = ${level}`,
    'rootLogger.appenderRef.stdout.ref = STDOUT',
    // Kafka's distribution keeps these quiet too: one line per request or state change.
    'logger.request.name = kafka.request.logger',
    'logger.request.level = WARN',
    'logger.state.name = state.change.logger',
    'logger.state.level = WARN',
    '',
  ].join('\n');
}

/**
 * The broker's JVM options: a heap that suits a 2-core machine running tests beside it (KAFKA_HEAP_OPTS overrides
 * it, as with Kafka's scripts) and Kafka's own G1 settings from kafka-run-class.sh.
 */
export function brokerJvmOptions(): string[] {
  const heap = process.env.KAFKA_HEAP_OPTS?.trim().split(/\s+/) ?? ['-Xms512m', '-Xmx1g'];
  return [
    ...heap,
    '-XX:+UseG1GC',
    '-XX:MaxGCPauseMillis=20',
    '-XX:InitiatingHeapOccupancyPercent=35',
    '-XX:+ExplicitGCInvokesConcurrent',
    '-XX:+ExitOnOutOfMemoryError',
    '-Djava.awt.headless=true',
  ];
}

/** The storage tool runs for a second: a small heap and the quick compiler start it faster. */
export function toolJvmOptions(): string[] {
  return ['-Xmx256m', '-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-Djava.awt.headless=true'];
}
