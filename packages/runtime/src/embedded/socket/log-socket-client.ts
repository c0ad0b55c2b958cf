import type { KafkaClient } from '../../client/kafka-client.ts';
import type { GroupConsumer } from '../../client/group-consumer.ts';
import type { AssignedConsumer, AssignedConsumerOptions } from '../../client/assigned-consumer.ts';
import type { KafkaProducer, ProducerOptions } from '../../client/kafka-producer.ts';
import { ClientError } from '../../errors/client-error.ts';
import { LogConnection } from './log-connection.ts';
import { LogSocketAdmin } from './log-socket-admin.ts';
import { LogSocketProducer } from './log-socket-producer.ts';
import { LogSocketConsumer } from './log-socket-consumer.ts';

interface Closeable {
  close(): Promise<void>;
}

/**
 * The client seam over an embedded log that another process holds and serves on its socket (LogServer): while a
 * `streams run` owns the log, `produce`, `tail`, `topics`, `lag` and `reset` reach it through this client, with
 * their code unchanged. One connection, shared by the roles. It serves the admin, plain producers and assigned
 * consumers; a group consumer or a transactional producer — running an application — is refused: an application
 * runs in the process that holds the log.
 */
export class LogSocketClient implements KafkaClient {
  private readonly roles = new Set<Closeable>();

  private constructor(private readonly connection: LogConnection) {}

  /**
   * Connects to the socket at `path` (see LogConnection.open for how that fails). Each request then has
   * `requestTimeoutMs` (default REQUEST_TIMEOUT_MS) for its answer, beyond the wait a fetch asks for.
   */
  static async connect(path: string, options: { readonly helloTimeoutMs?: number; readonly requestTimeoutMs?: number } = {}): Promise<LogSocketClient> {
    return new LogSocketClient(await LogConnection.open(path, options.helloTimeoutMs, options.requestTimeoutMs));
  }

  /** The process serving the log. */
  get pid(): number {
    return this.connection.hello.pid;
  }

  /** The socket's path. */
  get path(): string {
    return this.connection.path;
  }

  admin(): LogSocketAdmin {
    return this.track(new LogSocketAdmin(this.connection));
  }

  groupConsumer(): GroupConsumer {
    throw this.refused('run an application (a consumer group)');
  }

  /** The options change nothing: only committed records are readable, and nothing is fetched ahead. */
  assignedConsumer(_options?: AssignedConsumerOptions): AssignedConsumer {
    return this.track(new LogSocketConsumer(this.connection));
  }

  producer(options: ProducerOptions): KafkaProducer {
    if (options.transactionalId !== undefined) throw this.refused(`produce transactionally (transactional id '${options.transactionalId}')`);
    return this.track(new LogSocketProducer(this.connection));
  }

  async close(): Promise<void> {
    const roles = [...this.roles];
    this.roles.clear();
    await Promise.allSettled(roles.map((r) => r.close()));
    this.connection.close();
  }

  private refused(what: string): ClientError {
    return new ClientError(
      `Cannot ${what} on the embedded log in ${this.connection.hello.dir} through the socket of process ${this.pid}, which holds it: an application runs in the process that holds the log. Stop process ${this.pid} first, or run this application on another state directory.`,
      'fatal',
    );
  }

  private track<T extends Closeable>(role: T): T {
    this.roles.add(role);
    return role;
  }
}
