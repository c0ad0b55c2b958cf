import type { Header } from '@ts-streams/dsl';
import { fromJson, fromText, type SerdeName } from './serde-names.ts';

/** A record typed on one input line of `streams produce`, its key and value as their serdes take them. */
export interface InputRecord {
  readonly key: unknown;
  readonly value: unknown;
  /** Epoch ms; undefined: now. */
  readonly timestamp: number | undefined;
  readonly headers: readonly Header[];
}

const JSON_FIELDS = ['key', 'value', 'timestamp', 'headers'];

/**
 * One line as a record. Plain: `key<TAB>value` (a line without a tab is a value with a null key). With --json:
 * `{"key": …, "value": …, "timestamp"?: ms | ISO date, "headers"?: {name: value} | [{key, value}]}`. A problem is an
 * Error whose message says what the line should look like.
 */
export function parseInputLine(line: string, json: boolean, serdes: { readonly key: SerdeName; readonly value: SerdeName }): InputRecord {
  if (!json) {
    const tab = line.indexOf('\t');
    const keyText = tab === -1 ? undefined : line.slice(0, tab);
    const valueText = tab === -1 ? line : line.slice(tab + 1);
    return {
      key: keyText === undefined ? null : side('key', () => fromText(serdes.key, keyText)),
      value: side('value', () => fromText(serdes.value, valueText)),
      timestamp: undefined,
      headers: [],
    };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (e) {
    throw new Error(`not JSON (${(e as Error).message}); with --json each line is {"key": …, "value": …}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('with --json each line is an object: {"key": …, "value": …, "timestamp"?: …, "headers"?: …}');
  const fields = parsed as Record<string, unknown>;
  const unknown = Object.keys(fields).filter((f) => !JSON_FIELDS.includes(f));
  if (unknown.length > 0) throw new Error(`unknown field ${unknown.map((f) => `"${f}"`).join(', ')} (a line has ${JSON_FIELDS.map((f) => `"${f}"`).join(', ')})`);
  return {
    key: side('key', () => fromJson(serdes.key, fields.key ?? null)),
    value: side('value', () => fromJson(serdes.value, fields.value ?? null)),
    timestamp: timestampOf(fields.timestamp),
    headers: headersOf(fields.headers),
  };
}

function side(which: 'key' | 'value', read: () => unknown): unknown {
  try {
    return read();
  } catch (e) {
    throw new Error(`the ${which}: ${(e as Error).message.replace('--*-serde', `--${which}-serde`)}`);
  }
}

function timestampOf(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  if (typeof value === 'string') {
    const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
    if (Number.isSafeInteger(ms) && ms >= 0) return ms;
  }
  throw new Error(`"timestamp" is ${JSON.stringify(value)}: give epoch milliseconds (1700000000000) or an ISO date ("2024-01-01T12:00:00Z")`);
}

function headersOf(value: unknown): Header[] {
  if (value === undefined || value === null) return [];
  const bytes = (v: unknown, name: string): Uint8Array | null => {
    if (v === null) return null;
    if (typeof v === 'string') return Buffer.from(v, 'utf8');
    throw new Error(`header "${name}" has ${JSON.stringify(v)}: a header value is a string or null`);
  };
  if (Array.isArray(value)) {
    return value.map((h: unknown) => {
      const entry = h as { key?: unknown; value?: unknown } | null;
      if (typeof entry !== 'object' || entry === null || typeof entry.key !== 'string') throw new Error(`"headers" as a list holds {"key": name, "value": text}; got ${JSON.stringify(h)}`);
      return { key: entry.key, value: bytes(entry.value ?? null, entry.key) };
    });
  }
  if (typeof value === 'object') return Object.entries(value as Record<string, unknown>).map(([key, v]) => ({ key, value: bytes(v, key) }));
  throw new Error(`"headers" is {name: value, …} or [{"key": name, "value": text}, …]; got ${JSON.stringify(value)}`);
}
