import type { AssignedConsumer } from '../client/assigned-consumer.ts';
import { pollRecords } from './topic-reader.ts';
import type { Terminal } from './terminal.ts';
import type { TopicSerdes } from './topic-serdes.ts';
import type { TopicView, ViewRecord } from './topic-view.ts';

/** How often, at most, the view is redrawn: it follows the records without redrawing the screen for every poll. */
const REDRAW_MS = 250;

/**
 * `streams run` with a topology's exported `view`, on a terminal: reads the topic the view shows beside the
 * application (its own consumer, outside the application's group), hands each record to the view decoded with the
 * topology's serdes, and shows the view's lines as the terminal's panel, until stopped. A record the serdes cannot
 * read is skipped (reported once); a view that throws is stopped (reported), the application runs on.
 */
export class TopicViewFeed {
  private stopped = false;
  private readonly loop: Promise<void>;
  private drawnAt = 0;
  private pending = false;
  private skipped = 0;

  constructor(
    private readonly reader: AssignedConsumer,
    private readonly serdes: TopicSerdes,
    private readonly view: TopicView,
    private readonly terminal: Terminal,
    private readonly report: { readonly warn: (message: string) => void; readonly error: (message: string) => void },
  ) {
    this.loop = this.read().catch((e: unknown) => {
      this.stopped = true;
      report.error(`The view of ${view.topic} stopped: ${(e as Error)?.message ?? String(e)}`);
    });
  }

  private async read(): Promise<void> {
    this.draw(); // the view before any record: its empty state says what it waits for
    while (!this.stopped) {
      for (const batch of await pollRecords(this.reader, { maxRecords: 1_000, timeoutMs: 200 })) {
        for (const raw of batch.records) {
          let record: ViewRecord<unknown, unknown>;
          try {
            record = {
              topic: batch.topic,
              partition: batch.partition,
              offset: raw.offset ?? -1,
              timestamp: raw.timestamp,
              key: this.serdes.key.deserialize(batch.topic, raw.key, raw.headers),
              value: this.serdes.value.deserialize(batch.topic, raw.value, raw.headers),
              headers: raw.headers,
            };
          } catch (e) {
            if (this.skipped++ === 0) this.report.warn(`The view of ${batch.topic} skips records its serdes cannot read (the first: partition ${batch.partition}, offset ${raw.offset}: ${(e as Error)?.message ?? String(e)}).`);
            continue;
          }
          this.view.add(record);
          this.pending = true;
        }
      }
      if (this.pending && Date.now() - this.drawnAt >= REDRAW_MS) this.draw();
    }
  }

  private draw(): void {
    this.terminal.panel(this.view.lines());
    this.drawnAt = Date.now();
    this.pending = false;
  }

  /** Stops after the poll in progress, then closes the reader. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
    await this.reader.close().catch(() => undefined);
  }
}
