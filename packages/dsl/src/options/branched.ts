import type { KStream } from '../kstream/kstream.ts';

/** One branch of split(): a name and either a function applied to the branch or nothing (returned in the map). */
export interface Branched<K, V> {
  readonly name?: string;
  readonly chain?: (stream: KStream<K, V>) => KStream<any, any> | void;
}

export const Branched = {
  as<K = any, V = any>(name: string): Branched<K, V> {
    return { name };
  },
  withConsumer<K, V>(chain: (stream: KStream<K, V>) => void, name?: string): Branched<K, V> {
    return name === undefined ? { chain } : { chain, name };
  },
  withFunction<K, V>(chain: (stream: KStream<K, V>) => KStream<any, any>, name?: string): Branched<K, V> {
    return name === undefined ? { chain } : { chain, name };
  },
};
