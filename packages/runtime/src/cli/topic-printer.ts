import type { AssignedConsumer } from '../client/assigned-consumer.ts';
import { recordLine } from './record-line.ts';
import { pollRecords } from './topic-reader.ts';
import type { Terminal } from './terminal.ts';
import type { TopicSerdes } from './topic-serdes.ts';

/**
 * `streams run --print <topic>`: reads the topic the application writes beside it (its own consumer, outside the
 * application's group) and prints each record as a JSON line on stdout, decoded with the topology's serdes, until
 * stopped.
 */
export class TopicPrinter {
  private stopped = false;
  private readonly loop: Promise<void>;

  constructor(
    private readonly reader: AssignedConsumer,
    private readonly serdes: TopicSerdes,
    private readonly terminal: Terminal,
    onError: (e: unknown) => void,
  ) {
    this.loop = this.read().catch(onError);
  }

  private async read(): Promise<void> {
    while (!this.stopped) {
      for (const batch of await pollRecords(this.reader, { maxRecords: 1_000, timeoutMs: 200 })) {
        for (const record of batch.records) this.terminal.out(recordLine(batch.topic, batch.partition, record, this.serdes));
      }
    }
  }

  /** Stops after the poll in progress, then closes the reader. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
    await this.reader.close().catch(() => undefined);
  }
}
