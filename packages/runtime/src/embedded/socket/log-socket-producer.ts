import type { TopicPartitionOffset } from '../../io/topic-partition-offset.ts';
import type { KafkaProducer, ProducerRecord } from '../../client/kafka-producer.ts';
import { ClientError } from '../../errors/client-error.ts';
import { RecordEncoder } from '../log-record-codec.ts';
import type { LogConnection } from './log-connection.ts';
import { Op, encodeProduce } from './log-protocol.ts';

/**
 * A producer on an embedded log served by another process (LogServer): each send is one request carrying the
 * whole batch, appended there in one atomic, synced write (with the other sends of that turn); it resolves with the
 * offsets once written. Sends of one producer are written in the order they were made (one connection; the server
 * stages each send as it arrives). Not transactional: KafkaClient#producer refuses a transactionalId.
 */
export class LogSocketProducer implements KafkaProducer {
  private readonly encoder = new RecordEncoder();
  private readonly inFlight = new Set<Promise<unknown>>();
  private closed = false;

  constructor(private readonly connection: LogConnection) {}

  async connect(): Promise<void> {
    this.check();
  }

  send(records: readonly ProducerRecord[]): Promise<readonly TopicPartitionOffset[]> {
    try {
      this.check();
    } catch (e) {
      return Promise.reject(e);
    }
    const sent = this.connection
      .request(Op.PRODUCE, (w) => encodeProduce(w, records, this.encoder), {
        what: `a produce of ${records.length} record${records.length === 1 ? '' : 's'}`,
        unknownOutcome: 'Whether those records were written is unknown: look (streams tail --from-beginning) before producing them again.',
      })
      .then((answer) => answer.json<TopicPartitionOffset[]>());
    const settled = sent.then(() => undefined, () => undefined);
    this.inFlight.add(settled);
    void settled.then(() => this.inFlight.delete(settled));
    return sent;
  }

  async flush(): Promise<void> {
    await Promise.all([...this.inFlight]);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.flush();
    this.closed = true;
  }

  private check(): void {
    if (this.closed) throw new ClientError('This producer of the embedded log (through its socket) is closed.', 'fatal');
  }
}
