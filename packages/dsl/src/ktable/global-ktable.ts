import type { TypeBrand } from '../kstream/kstream.ts';

/** A table replicated in full to every instance; joined by a key mapper, never co-partitioned. */
export interface GlobalKTable<K, V> extends TypeBrand<K, V> {
  readonly kind: 'global-ktable';
  readonly queryableStoreName: string;
}
