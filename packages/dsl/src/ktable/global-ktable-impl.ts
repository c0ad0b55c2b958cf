import type { GlobalKTable } from './global-ktable.ts';
import type { Serde } from '../serde/serde.ts';

export class GlobalKTableImpl<K, V> implements GlobalKTable<K, V> {
  readonly kind = 'global-ktable' as const;
  constructor(
    readonly queryableStoreName: string,
    readonly keySerde: Serde<K> | undefined,
    readonly valueSerde: Serde<V> | undefined,
  ) {}
}
