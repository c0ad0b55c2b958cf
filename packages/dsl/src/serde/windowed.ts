/** A window's bounds in epoch milliseconds. As in Kafka, start is inclusive; end is exclusive for time windows and inclusive for session windows. */
export interface Window {
  readonly start: number;
  readonly end: number;
}

/** A key together with the window it was aggregated in: the key type of windowed aggregations (Kafka's Windowed<K>). */
export interface Windowed<K> {
  readonly key: K;
  readonly window: Window;
}

/**
 * Kafka's Windowed.toString() text: `[key@start/end]`, e.g. "[k1@300000/360000]". The key is rendered with fmtKey
 * (default: String(key)).
 */
export function formatWindowed<K>(w: Windowed<K>, fmtKey: (key: K) => string = String): string {
  return `[${fmtKey(w.key)}@${w.window.start}/${w.window.end}]`;
}
