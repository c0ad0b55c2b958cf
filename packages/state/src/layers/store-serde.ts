import { printableBytes } from '../util/key-string.ts';
import { StoreSerdeError } from '../errors/store-serde-error.ts';

/** A serde as the typed store layers use it (structurally compatible with the DSL's serdes). */
export interface StoreSerde<T> {
  readonly name?: string;
  serialize(topic: string, v: T | null): Uint8Array | null;
  deserialize(topic: string, b: Uint8Array | null): T | null;
}

export function serdeName(serde: StoreSerde<unknown>): string {
  return serde.name ?? (serde.constructor?.name && serde.constructor.name !== 'Object' ? serde.constructor.name : 'anonymous serde');
}

/** Serializes a key, which must not be null. */
export function serializeKey<K>(store: string, topic: string, serde: StoreSerde<K>, key: K): Uint8Array {
  let b: Uint8Array | null;
  try {
    b = serde.serialize(topic, key);
  } catch (e) {
    throw new StoreSerdeError(store, `Store ${store}: key serde ${serdeName(serde)} cannot serialize key ${String(key)}: ${(e as Error)?.message ?? e}`, { cause: e });
  }
  if (b === null || b === undefined) throw new StoreSerdeError(store, `Store ${store}: key serde ${serdeName(serde)} serialized key ${String(key)} to null`);
  return b;
}

export function serializeValue<V>(store: string, topic: string, serde: StoreSerde<V>, value: V | null, key: Uint8Array): Uint8Array | null {
  if (value === null || value === undefined) return null;
  try {
    return serde.serialize(topic, value);
  } catch (e) {
    throw new StoreSerdeError(store, `Store ${store}: value serde ${serdeName(serde)} cannot serialize the value for key ${printableBytes(key)}: ${(e as Error)?.message ?? e}`, { cause: e });
  }
}

/** Deserializes a stored value; a failure names the store, the key (printable) and the serde. */
export function deserializeValue<V>(store: string, topic: string, serde: StoreSerde<V>, bytes: Uint8Array, key: Uint8Array): V {
  try {
    return serde.deserialize(topic, bytes) as V;
  } catch (e) {
    throw new StoreSerdeError(store, `Store ${store}: value serde ${serdeName(serde)} cannot read the value stored for key ${printableBytes(key)} (${bytes.length} bytes): ${(e as Error)?.message ?? e}`, { cause: e });
  }
}

export function deserializeKey<K>(store: string, topic: string, serde: StoreSerde<K>, bytes: Uint8Array): K {
  try {
    return serde.deserialize(topic, bytes) as K;
  } catch (e) {
    throw new StoreSerdeError(store, `Store ${store}: key serde ${serdeName(serde)} cannot read the stored key ${printableBytes(bytes)}: ${(e as Error)?.message ?? e}`, { cause: e });
  }
}
