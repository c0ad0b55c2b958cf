/** One Kafka record header. Keys may repeat; order is preserved, as in Kafka. */
export interface Header {
  readonly key: string;
  readonly value: Uint8Array | null;
}

/** Kafka record headers: an ordered list. Operators pass the array through untouched unless they change it. */
export type Headers = readonly Header[];

export const NO_HEADERS: Headers = Object.freeze([]) as Headers;
