import type { Headers, Serde } from '@ts-streams/dsl';

/** One record a generator sends: typed key and value, serialized with the serdes given to `send`. */
export interface GeneratedRecord<K, V> {
  readonly key: K;
  readonly value: V;
  /** Epoch ms; default: now. */
  readonly timestamp?: number;
  readonly headers?: Headers;
}

/** What `streams run <folder>` hands an example's generator (`<folder>/generator.ts`, its default export). */
export interface GeneratorContext {
  /** Serializes the records with the serdes and appends them to the topic (created on the embedded log if missing). */
  send<K, V>(topic: string, serdes: { readonly key: Serde<K>; readonly value: Serde<V> }, records: readonly GeneratedRecord<K, V>[]): Promise<void>;
  /** Aborted when the application stops (Ctrl-C): a generator returns soon after. */
  readonly signal: AbortSignal;
  /** Resolves after `ms`, or at once when the signal is aborted. */
  sleep(ms: number): Promise<void>;
}

/**
 * An example's input generator: produces realistic input for its topology while `streams run` runs it on the
 * embedded default, until the signal aborts (or it has sent what it means to). Each example folder may have one as
 * the default export of `generator.ts`:
 *
 *     const generate: Generator = async ({ send, signal, sleep }) => {
 *       while (!signal.aborted) {
 *         await send('clicks', { key: Serdes.String(), value: Serdes.JSON<Click>() }, [{ key: 'u1', value: click() }]);
 *         await sleep(200);
 *       }
 *     };
 *     export default generate;
 */
export type Generator = (context: GeneratorContext) => Promise<void>;
