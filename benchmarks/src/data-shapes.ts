/**
 * The input shapes of the kafka-streams suite (issue 17): integer-string keys over `keys` keys, uniform or skewed
 * (Zipf 0.99: key 0 draws ~10 % of the records over 10,000 keys), 100-byte or 1 KiB values. The default run is the
 * first (uniform, 100 B: the shape FACTS.md's figures have); `--matrix` runs all four.
 */
export interface DataShape {
  readonly id: string;
  readonly label: string;
  /** Zipf exponent of the key distribution; 0 = uniform. */
  readonly skew: number;
  readonly valueBytes: number;
}

export const DATA_SHAPES: readonly DataShape[] = [
  { id: 'uniform-100', label: 'uniform keys, 100 B values', skew: 0, valueBytes: 100 },
  { id: 'zipf-100', label: 'Zipf 0.99 keys, 100 B values', skew: 0.99, valueBytes: 100 },
  { id: 'uniform-1k', label: 'uniform keys, 1 KiB values', skew: 0, valueBytes: 1024 },
  { id: 'zipf-1k', label: 'Zipf 0.99 keys, 1 KiB values', skew: 0.99, valueBytes: 1024 },
];

export const DEFAULT_SHAPES: readonly string[] = ['uniform-100'];

export function dataShape(id: string): DataShape {
  const s = DATA_SHAPES.find((x) => x.id === id);
  if (s === undefined) throw new Error(`Unknown data shape '${id}': use ${DATA_SHAPES.map((x) => x.id).join(', ')} (or --matrix for all).`);
  return s;
}

/** The mean size of a key (String(k) in UTF-8) under the shape's distribution over `keys` keys, bytes: for MB/s. */
export function meanKeyBytes(keys: number, skew: number): number {
  let weights = 0;
  let bytes = 0;
  for (let k = 0; k < keys; k++) {
    const w = skew > 0 ? 1 / (k + 1) ** skew : 1;
    weights += w;
    bytes += w * String(k).length;
  }
  return bytes / weights;
}
