// Reading the flexible versions of Kafka's protocol (KIP-482): unsigned varints, compact strings (length + 1, 0 for
// null) and tagged fields, as the answers to the requests we encode ourselves use them.

/** A buffer and where reading is. */
export interface Reader {
  readonly b: Buffer;
  pos: number;
}

export function readUnsignedVarint(r: Reader): number {
  let v = 0;
  let shift = 0;
  for (;;) {
    const byte = r.b[r.pos++];
    if (byte === undefined) throw new Error('A Kafka response ended inside a varint');
    v += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return v;
    shift += 7;
  }
}

export function readCompactNullableString(r: Reader): string | null {
  const n = readUnsignedVarint(r) - 1;
  if (n < 0) return null;
  const s = r.b.toString('utf8', r.pos, r.pos + n);
  r.pos += n;
  return s;
}

/** Skips a tagged-fields section: a count, then per field its tag, its size and its bytes. */
export function skipTaggedFields(r: Reader): void {
  const count = readUnsignedVarint(r);
  for (let i = 0; i < count; i++) {
    readUnsignedVarint(r);
    r.pos += readUnsignedVarint(r);
  }
}
