import test from 'ava';
import { StreamsBuilder, Serdes, Consumed, Produced, Materialized, JoinWindows, TimeWindows, SlidingWindows, SessionWindows, Suppressed, LogicalGraph } from '@ts-streams/dsl';
import type { FilterNode, MapNode, ProcessorNode } from '@ts-streams/dsl';
import type { ProcessorFactory } from '../src/compile/compile-env.ts';
import { processorFactories, type ProcessorFactories } from '../src/processors/registry.ts';

/** Type-level: compiles only when `value` is a T. Each check below is one call, so an unused variable cannot stand in for the error. */
function expectType<T>(_value: T): void {}

// These lines are checked by `npm run typecheck`: each @ts-expect-error must stay an error, and for the reason given.
function typeLevel() {
  // A factory reads its own node's fields, typed.
  const readsItsFields: ProcessorFactory<FilterNode> = (node) => {
    expectType<(key: unknown, value: unknown) => boolean>(node.predicate);
    expectType<boolean>(node.not);
    // @ts-expect-error a filter node has no `mapper`: a factory reading a field its node lacks does not compile
    expectType<unknown>(node.mapper);
    return { process() {} };
  };
  expectType<ProcessorFactory<FilterNode>>(readsItsFields);

  // A registry without a factory for some operator does not compile.
  const withoutFilter: Omit<ProcessorFactories, 'filter'> = processorFactories;
  // @ts-expect-error property 'filter' is missing
  expectType<ProcessorFactories>(withoutFilter);

  // Nor one that files a factory under another operator (map's factory reads a MapNode, not a FilterNode).
  // @ts-expect-error the factory for 'filter' must take a FilterNode
  expectType<ProcessorFactories>({ ...processorFactories, filter: processorFactories.map });
  expectType<ProcessorFactory<MapNode>>(processorFactories.map);

  // Renaming a node field breaks the compile: here FilterNode's `not` becomes `negate`, and the registry's filter
  // factory, which reads `not`, no longer fits the registry of the renamed graph.
  type RenamedFilterNode = Omit<FilterNode, 'not'> & { readonly negate: boolean };
  type RenamedGraph = Exclude<ProcessorNode, FilterNode> | RenamedFilterNode;
  // @ts-expect-error property 'not' is missing in RenamedFilterNode
  expectType<ProcessorFactories<RenamedGraph>>(processorFactories);
  // The same registry fits the real graph.
  expectType<ProcessorFactories<ProcessorNode>>(processorFactories);

  // And on the DSL side a node recorded with the old field name does not compile.
  const graph = new LogicalGraph();
  // @ts-expect-error 'negate' does not exist in FilterNode (and 'not' is missing)
  graph.add({ kind: 'processor', name: 'f', parents: [], op: 'filter', stores: [], predicate: () => true, negate: false });
}
void typeLevel;

test('a topology using every operator records only operators the registry has', (t) => {
  const b = new StreamsBuilder({ defaultKeySerde: Serdes.String(), defaultValueSerde: Serdes.String() });
  const s = b.stream('in', Consumed.with(Serdes.String(), Serdes.String()));
  const other = b.stream('other', Consumed.with(Serdes.String(), Serdes.String()));
  const table = b.table('table', Consumed.with(Serdes.String(), Serdes.String()), Materialized.as('table-store'));
  const global = b.globalTable('global', Consumed.with(Serdes.String(), Serdes.String()));
  const mapped = s.filter(() => true).filterNot(() => false).mapValues((v) => v).peek(() => {}).selectKey((k) => k);
  mapped.flatMapValues((v) => [v]).flatMap((k, v) => [{ key: k, value: v }]).map((k, v) => ({ key: k, value: v })).to('a', Produced.with(Serdes.String(), Serdes.String()));
  mapped.join(other, (a, c) => a + c, JoinWindows.ofTimeDifferenceWithNoGrace(1000)).to('b');
  mapped.leftJoin(table, (a, c) => a + c).to('c');
  s.join(global, (k) => k, (a, c) => a + c).to('d');
  s.process(() => ({ process() {} }));
  s.processValues(() => ({ process() {} }));
  s.split().branch(() => true).defaultBranch();
  const grouped = mapped.groupByKey();
  grouped.count().toStream().to('e', Produced.with(Serdes.String(), Serdes.Long()));
  grouped.reduce((a, c) => a + c).toStream().to('f');
  grouped.windowedBy(TimeWindows.ofSizeWithNoGrace(1000)).count().suppress(Suppressed.untilWindowCloses());
  grouped.windowedBy(SessionWindows.ofInactivityGapWithNoGrace(1000)).count();
  grouped.windowedBy(SlidingWindows.ofTimeDifferenceWithNoGrace(1000)).count();
  const regrouped = table.filter(() => true).mapValues((v) => v).join(table, (a, c) => a + c).groupBy((k, v) => ({ key: k, value: v }));
  regrouped.count();
  regrouped.reduce((a, c) => a + c, (a, c) => a + c);
  s.toTable().toStream().to('g');
  const ops = new Set(b.build().graph.nodes.flatMap((n) => (n.kind === 'processor' ? [n.op] : [])));
  for (const op of ops) t.is(typeof processorFactories[op], 'function', op);
  t.deepEqual([...ops].sort(), Object.keys(processorFactories).sort());
});
