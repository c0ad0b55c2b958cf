import { logLevel, type logCreator } from 'kafkajs';

/** One line of kafkajs's log, structured. */
export interface ClientLogEntry {
  readonly level: 'error' | 'warn' | 'info' | 'debug';
  /** kafkajs's component (Consumer, ConsumerGroup, Connection, …). */
  readonly namespace: string;
  readonly message: string;
  /** What kafkajs logged beside the message (groupId, broker, error, …). */
  readonly fields: Readonly<Record<string, unknown>>;
}

/** Where kafkajs's log goes. */
export type ClientLogSink = (entry: ClientLogEntry) => void;

export type ClientLogLevel = 'nothing' | 'error' | 'warn' | 'info' | 'debug';

const KAFKAJS_LEVEL: Readonly<Record<ClientLogLevel, logLevel>> = {
  nothing: logLevel.NOTHING,
  error: logLevel.ERROR,
  warn: logLevel.WARN,
  info: logLevel.INFO,
  debug: logLevel.DEBUG,
};

const LEVEL_NAME: Readonly<Partial<Record<logLevel, ClientLogEntry['level']>>> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/**
 * Warnings kafkajs gives about what the adapter does on purpose: its idempotent producer retries a bounded number of
 * times (the runtime's own deadline decides, and a send that fails stops the task before its offsets commit).
 */
const BY_DESIGN = ['Limiting retries for the idempotent producer'];

export function kafkajsLogLevel(level: ClientLogLevel): logLevel {
  return KAFKAJS_LEVEL[level];
}

/**
 * kafkajs's logCreator routed into `sink`: kafkajs otherwise prints JSON lines to the console (its default logger),
 * which a library must not do on its own. kafkajs filters by level before calling it.
 */
export function kafkajsLogCreator(sink: ClientLogSink): logCreator {
  return () => ({ namespace, level, log }) => {
    const name = LEVEL_NAME[level];
    if (name === undefined || BY_DESIGN.some((m) => log.message.startsWith(m))) return;
    const { message, timestamp: _timestamp, logger: _logger, ...fields } = log as { message: string; [field: string]: unknown };
    sink({ level: name, namespace, message, fields });
  };
}
