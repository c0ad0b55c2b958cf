/**
 * Generates Kafka Streams' default names: `<PREFIX><10-digit index>`, one counter per builder shared by
 * processors and stores, so auto-generated names match Kafka Streams' for the same sequence of DSL calls.
 */
export class NameGenerator {
  private index = 0;
  next(prefix: string): string {
    return prefix + String(this.index++).padStart(10, '0');
  }
}
