import { toMillis, type DurationLike } from './duration.ts';

/** Buffer limits of suppress(); when full, 'emit-early' emits the oldest record, 'shutdown' stops the app. */
export interface BufferConfig {
  readonly maxRecords?: number;
  readonly maxBytes?: number;
  readonly onFull: 'emit-early' | 'shutdown';
}

export const BufferConfig = {
  unbounded(): BufferConfig {
    return { onFull: 'shutdown' };
  },
  maxRecords(n: number, onFull: BufferConfig['onFull'] = 'emit-early'): BufferConfig {
    return { maxRecords: n, onFull };
  },
  maxBytes(n: number, onFull: BufferConfig['onFull'] = 'emit-early'): BufferConfig {
    return { maxBytes: n, onFull };
  },
};

/** What suppress() holds back: until a window closes (final results), or for a time limit per key. */
export type Suppressed =
  | { readonly kind: 'until-window-closes'; readonly buffer: BufferConfig; readonly name?: string }
  | { readonly kind: 'until-time-limit'; readonly timeLimitMs: number; readonly buffer: BufferConfig; readonly name?: string };

export const Suppressed = {
  untilWindowCloses(buffer: BufferConfig = BufferConfig.unbounded(), name?: string): Suppressed {
    return name === undefined ? { kind: 'until-window-closes', buffer } : { kind: 'until-window-closes', buffer, name };
  },
  untilTimeLimit(timeLimit: DurationLike, buffer: BufferConfig = BufferConfig.unbounded(), name?: string): Suppressed {
    const timeLimitMs = toMillis(timeLimit, 'Suppressed time limit');
    return name === undefined ? { kind: 'until-time-limit', timeLimitMs, buffer } : { kind: 'until-time-limit', timeLimitMs, buffer, name };
  },
};
