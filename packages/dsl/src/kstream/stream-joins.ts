import type { KStream } from './kstream.ts';
import { KStreamImpl } from './kstream-impl.ts';
import { TopologyError } from '../errors/topology-error.ts';
import { KTableImpl } from '../ktable/ktable-impl.ts';
import { GlobalKTableImpl } from '../ktable/global-ktable-impl.ts';
import { streamStreamJoin } from './stream-stream-join.ts';
import { streamTableJoin } from './stream-table-join.ts';
import { streamGlobalTableJoin } from './stream-global-join.ts';

export type JoinKind = 'inner' | 'left' | 'outer';

/**
 * KStream#join / #leftJoin / #outerJoin: dispatches on what `other` is.
 * - KStream: windowed stream-stream join (a, b, c = joiner, JoinWindows, StreamJoined?)
 * - KTable: stream-table join (a, b = joiner, Joined?)
 * - GlobalKTable: stream-global-table join (a, b, c = key selector, joiner, Named?)
 */
export function streamJoin(self: KStreamImpl<any, any>, kind: JoinKind, other: unknown, a: any, b?: any, c?: any): KStream<any, any> {
  const step = kind === 'inner' ? 'join' : kind === 'left' ? 'leftJoin' : 'outerJoin';
  if (other instanceof KTableImpl) {
    if (kind === 'outer') throw new TopologyError('outerJoin() is not defined between a KStream and a KTable; use join() or leftJoin().');
    return streamTableJoin(self, kind, other, a, b);
  }
  if (other instanceof GlobalKTableImpl) {
    if (kind === 'outer') throw new TopologyError('outerJoin() is not defined between a KStream and a GlobalKTable; use join() or leftJoin().');
    return streamGlobalTableJoin(self, kind, other, a, b, c);
  }
  if (other instanceof KStreamImpl) {
    return streamStreamJoin(self, kind, other, a, b, c);
  }
  throw new TopologyError(`${step}() needs a KStream, KTable or GlobalKTable created by a StreamsBuilder; got ${other === null ? 'null' : typeof other}.`);
}
