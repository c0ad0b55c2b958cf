import type { TimeWindowedKStream, SessionWindowedKStream } from './kgrouped-stream.ts';
import type { KGroupedStreamImpl } from './kgrouped-stream-impl.ts';
import type { TimeWindows } from '../window/time-windows.ts';
import type { SlidingWindows } from '../window/sliding-windows.ts';
import type { SessionWindows } from '../window/session-windows.ts';
import { TopologyError } from '../errors/topology-error.ts';
import { TimeWindowedKStreamImpl } from './time-windowed-kstream-impl.ts';
import { SessionWindowedKStreamImpl } from './session-windowed-kstream-impl.ts';

/** KGroupedStream#windowedBy: the windowed stream for the kind of windows given. */
export function windowedStream<K, V>(grouped: KGroupedStreamImpl<K, V>, windows: TimeWindows | SlidingWindows): TimeWindowedKStream<K, V>;
export function windowedStream<K, V>(grouped: KGroupedStreamImpl<K, V>, windows: SessionWindows): SessionWindowedKStream<K, V>;
export function windowedStream<K, V>(grouped: KGroupedStreamImpl<K, V>, windows: TimeWindows | SlidingWindows | SessionWindows): TimeWindowedKStream<K, V> | SessionWindowedKStream<K, V>;
export function windowedStream<K, V>(grouped: KGroupedStreamImpl<K, V>, windows: TimeWindows | SlidingWindows | SessionWindows): TimeWindowedKStream<K, V> | SessionWindowedKStream<K, V> {
  switch (windows?.kind) {
    case 'time':
    case 'sliding':
      return new TimeWindowedKStreamImpl(grouped, windows);
    case 'session':
      return new SessionWindowedKStreamImpl(grouped, windows);
    default:
      throw new TopologyError(`windowedBy needs TimeWindows, SlidingWindows or SessionWindows, got ${String(windows)}`);
  }
}
