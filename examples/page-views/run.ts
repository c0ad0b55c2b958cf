import { Serdes } from '@ts-streams/dsl';
import { TopologyTestDriver } from '@ts-streams/runtime/testing';
import { pageViewsTopology, type Click, type PageStats } from './topology.ts';

// Runs the page-views topology on sample clicks and prints its topology and results.
const topology = pageViewsTopology();
console.log(topology.describe());
const driver = await TopologyTestDriver.create(topology, { cacheMaxBytes: 0 });
const clicks = driver.createInputTopic('clickstream', Serdes.String(), Serdes.JSON<Click>());
const stats = driver.createOutputTopic('page-view-stats', Serdes.String(), Serdes.JSON<PageStats>());
const pages = ['/home', '/products/laptop', '/cart'];
for (let i = 0; i < 30; i++) {
  const user = `user_${i % 7}`;
  clicks.pipeInput(user, { eventType: 'click', userId: user, pageUrl: pages[(i * 5) % 3]!, elementId: 'btn' }, i * 20_000);
}
const latest = new Map<string, PageStats>();
for (const { value } of stats.readKeyValuesToList()) latest.set(`${value!.pageUrl}@${value!.windowStart}`, value!);
console.log('page-view-stats (latest per page and window):');
for (const s of latest.values()) console.log(`  ${new Date(s.windowStart).toISOString().slice(11, 19)}–${new Date(s.windowEnd).toISOString().slice(11, 19)}  ${s.pageUrl.padEnd(18)} ${s.views}`);
await driver.close();
