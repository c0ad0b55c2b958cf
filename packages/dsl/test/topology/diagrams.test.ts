import test from 'ava';
import { StreamsBuilder, Serdes, Consumed, Materialized } from '../../src/index.ts';

// toMermaid and toDot draw the same picture: every node in its sub-topology's group, topics and stores as their own
// shapes, an edge per parent, topic and store.
function topology() {
  const builder = new StreamsBuilder();
  const products = builder.globalTable('products "quoted"', Consumed.with(Serdes.String(), Serdes.String()));
  builder
    .stream('clicks', Consumed.with(Serdes.String(), Serdes.String()))
    .join(products, (k) => k, (v, p) => `${v}:${p}`)
    .groupByKey()
    .count(Materialized.as('counts'))
    .toStream()
    .to('click-counts');
  return builder.build();
}

test('toDot: a cluster per sub-topology and global store, topics as ellipses, stores as cylinders, every edge', (t) => {
  const dot = topology().toDot();
  t.true(dot.startsWith('digraph topology {\n'));
  t.true(dot.endsWith('}\n'));
  t.regex(dot, /subgraph "cluster_sub1" \{\n {4}label="Sub-topology 1";/);
  t.regex(dot, /subgraph "cluster_global0" \{\n {4}label="Global store products \\"quoted\\"-STATE-STORE-0000000000";/);
  t.regex(dot, /"topic:clicks" \[shape=ellipse, label="clicks"\];/);
  t.regex(dot, /"topic:click-counts" \[shape=ellipse, label="click-counts"\];/);
  t.regex(dot, /"topic:products \\"quoted\\"" \[shape=ellipse, label="products \\"quoted\\""\];/, 'quotes in a name are escaped');
  t.regex(dot, /"store:counts" \[shape=cylinder, label="counts"\];/);
  t.regex(dot, /"topic:clicks" -> "KSTREAM-SOURCE-0000000\d+";/);
  t.regex(dot, /"KSTREAM-SINK-0000000\d+" -> "topic:click-counts";/);
  t.regex(dot, /"KSTREAM-AGGREGATE-0000000\d+" -> "store:counts" \[style=dashed, dir=none\];/);
  // Every node of the graph is declared once, inside a cluster.
  const graph = topology().graph;
  for (const n of graph.nodes) t.is(dot.split(`\n    "${n.name}";\n`).length, 2, n.name);
});

test('toMermaid: the same nodes, topics and stores as toDot', (t) => {
  const built = topology();
  const mermaid = built.toMermaid();
  t.true(mermaid.startsWith('flowchart TD\n'));
  for (const n of built.graph.nodes) t.true(mermaid.includes(`["${n.name}"]`), n.name);
  t.true(mermaid.includes('topic_clicks(["clicks"])'));
  t.true(mermaid.includes('[("counts")]'));
});
