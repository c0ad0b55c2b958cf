import type { KStream } from './kstream.ts';
import type { StreamJoined } from '../options/joined.ts';
import type { StoreSpec } from '../graph/store-spec.ts';
import type { Serde } from '../serde/serde.ts';
import type { JoinKind } from './stream-joins.ts';
import { TopologyError } from '../errors/topology-error.ts';
import { JoinWindows } from '../window/join-windows.ts';
import { KStreamImpl, requireFn } from './kstream-impl.ts';
import { timestampedKeyAndJoinSideSerde, leftOrRightValueListSerde } from './outer-join-serdes.ts';

/**
 * Windowed KStream-KStream join (Kafka Streams' KStreamImpl#doJoin + KStreamImplJoin#join). Each side gets a
 * KSTREAM-WINDOWED- node that puts its records into its window store, then a join node that looks up the
 * other side's store; both feed a KSTREAM-MERGE- node. Left and outer joins hold non-matches in a shared
 * store (KSTREAM-OUTERSHARED-) until the window closes.
 */
export function streamStreamJoin(
  self: KStreamImpl<any, any>,
  kind: JoinKind,
  other: KStreamImpl<any, any>,
  joiner: (v: any, o: any, k: any) => any,
  windows: JoinWindows,
  streamJoined: StreamJoined<any, any, any> = {},
): KStream<any, any> {
  const step = kind === 'inner' ? 'join' : kind === 'left' ? 'leftJoin' : 'outerJoin';
  requireFn(joiner, step, 'joiner');
  if (!(windows instanceof JoinWindows)) throw new TopologyError(`${step}() of two streams needs JoinWindows (e.g. JoinWindows.ofTimeDifferenceWithNoGrace(...)).`);
  const ctx = self.ctx;
  if (other.ctx !== ctx) throw new TopologyError(`${step}() of streams from two different StreamsBuilders; build both from one builder.`);
  ctx.checkOpen(step);
  const sj = streamJoined ?? {};
  const name = sj.name;
  const keySerde: Serde<any> | undefined = sj.keySerde ?? self.keySerde ?? other.keySerde;
  const thisValueSerde: Serde<any> | undefined = sj.valueSerde ?? self.valueSerde;
  const otherValueSerde: Serde<any> | undefined = sj.otherValueSerde ?? other.valueSerde;

  let thisNode = self.node;
  let otherNode = other.node;
  if (self.repartitionRequired) {
    thisNode = self.repartitionForJoin(name !== undefined ? `${name}-left` : self.node, keySerde, thisValueSerde);
  }
  if (other.repartitionRequired) {
    otherNode = other.repartitionForJoin(name !== undefined ? `${name}-right` : other.node, keySerde, otherValueSerde);
  }

  const leftOuter = kind !== 'inner';
  const rightOuter = kind === 'outer';
  const joinThisSuffix = rightOuter ? '-outer-this-join' : '-this-join';
  const joinOtherSuffix = leftOuter ? '-outer-other-join' : '-other-join';
  const thisWindowedName = ctx.suffixedNameOr(name, '-this-windowed', 'KSTREAM-WINDOWED-');
  const otherWindowedName = ctx.suffixedNameOr(name, '-other-windowed', 'KSTREAM-WINDOWED-');
  const thisPrefix = rightOuter ? 'KSTREAM-OUTERTHIS-' : 'KSTREAM-JOINTHIS-';
  const joinThisGenerated = ctx.names.next(thisPrefix);
  const joinOtherGenerated = ctx.names.next(leftOuter ? 'KSTREAM-OUTEROTHER-' : 'KSTREAM-JOINOTHER-');
  const joinThisName = name !== undefined ? name + joinThisSuffix : joinThisGenerated;
  const joinOtherName = name !== undefined ? name + joinOtherSuffix : joinOtherGenerated;
  const mergeName = ctx.suffixedNameOr(name, '-merge', 'KSTREAM-MERGE-');

  const base = sj.storeName;
  const thisStoreName = (base === undefined ? joinThisGenerated : base + joinThisSuffix) + '-store';
  const otherStoreName = (base === undefined ? joinOtherGenerated : base + joinOtherSuffix) + '-store';
  const windowSpec = (storeName: string, valueSerde: Serde<any> | undefined): StoreSpec => ({
    name: storeName,
    type: 'window',
    keySerde,
    valueSerde,
    backend: sj.backend,
    caching: false,
    logging: sj.logging ?? true,
    logConfig: {},
    retentionMs: windows.sizeMs + windows.graceMs,
    windowSizeMs: windows.sizeMs,
    retainDuplicates: true,
    generatedName: base === undefined,
  });
  ctx.graph.addStore(windowSpec(thisStoreName, thisValueSerde));
  ctx.graph.addStore(windowSpec(otherStoreName, otherValueSerde));

  let outerStoreName: string | undefined;
  if (leftOuter) {
    const sharedSuffix = rightOuter ? '-outer-shared-join' : '-left-shared-join';
    outerStoreName = (base !== undefined ? base + sharedSuffix : 'KSTREAM-OUTERSHARED-' + joinThisGenerated.substring(thisPrefix.length)) + '-store';
    ctx.graph.addStore({
      name: outerStoreName,
      type: 'key-value',
      keySerde: timestampedKeyAndJoinSideSerde(keySerde ?? ctx.defaultKeySerde),
      valueSerde: leftOrRightValueListSerde(thisValueSerde ?? ctx.defaultValueSerde, otherValueSerde ?? ctx.defaultValueSerde),
      backend: sj.backend,
      caching: false,
      logging: sj.logging ?? true,
      logConfig: {},
      generatedName: base === undefined,
    });
  }

  const g = ctx.graph;
  g.add({ kind: 'processor', name: thisWindowedName, parents: [thisNode], op: 'streamJoinWindow', stores: [thisStoreName], store: thisStoreName });
  g.add({ kind: 'processor', name: otherWindowedName, parents: [otherNode], op: 'streamJoinWindow', stores: [otherStoreName], store: otherStoreName });
  const common = {
    joiner,
    windowBeforeMs: windows.beforeMs,
    windowAfterMs: windows.afterMs,
    graceMs: windows.graceMs,
    outerStore: outerStoreName,
  };
  const outerStores = outerStoreName !== undefined ? [outerStoreName] : [];
  g.add({
    kind: 'processor', name: joinThisName, parents: [thisWindowedName], op: 'streamStreamJoin',
    stores: [otherStoreName, ...outerStores],
    ...common, side: 'left', otherStore: otherStoreName, outer: leftOuter, joinBeforeMs: windows.beforeMs, joinAfterMs: windows.afterMs,
  });
  g.add({
    kind: 'processor', name: joinOtherName, parents: [otherWindowedName], op: 'streamStreamJoin',
    stores: [thisStoreName, ...outerStores],
    ...common, side: 'right', otherStore: thisStoreName, outer: rightOuter, joinBeforeMs: windows.afterMs, joinAfterMs: windows.beforeMs,
  });
  g.add({ kind: 'processor', name: mergeName, parents: [joinThisName, joinOtherName], op: 'passThrough', stores: [] });
  // Kafka Streams labels the whole left/outer join, so repartitions upstream of either side keep null keys.
  if (leftOuter) {
    g.nullKeyJoins.add(joinThisName);
    g.nullKeyJoins.add(joinOtherName);
  }
  g.copartition.push({ nodes: [thisNode, otherNode], step: mergeName });
  return new KStreamImpl<any, any>(ctx, mergeName, keySerde, undefined, false);
}
