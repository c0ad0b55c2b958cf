import type { Topology, GraphNode } from '@ts-streams/dsl';
import { changelogTopic, repartitionTopic } from '../topics/internal-topic-names.ts';

/**
 * The topics the topology reads and, through its own steps, writes again: what records flow from each read topic
 * to (the sinks below its sources, the changelogs of the stores written below them; every read topic for a sink
 * that chooses its topic per record). Only a topology with a cycle here can feed a record back forever, so the
 * test driver counts feedback rounds only then.
 */
export class TopicCycles {
  private readonly next = new Map<string, ReadonlySet<string>>();

  constructor(topology: Topology, applicationId: string, readTopics: ReadonlySet<string>) {
    const graph = topology.graph;
    const full = (t: string, internal: boolean) => (internal ? repartitionTopic(applicationId, t) : t);
    for (const source of graph.nodes) {
      if (source.kind !== 'source') continue;
      const written = new Set<string>();
      const seen = new Set<string>([source.name]);
      const queue: GraphNode[] = [source];
      while (queue.length > 0) {
        const n = queue.pop()!;
        if (n.kind === 'sink') {
          if (typeof n.topic !== 'string') for (const t of readTopics) written.add(t);
          else written.add(full(n.topic, n.internal));
        } else if (n.kind === 'processor') {
          for (const s of n.stores) if (graph.stores.get(s)?.logging) written.add(changelogTopic(applicationId, s));
        }
        for (const c of graph.children(n.name)) if (!seen.has(c.name)) { seen.add(c.name); queue.push(c); }
      }
      for (const t of source.topics) {
        const from = full(t, source.internal);
        const to = [...written].filter((w) => readTopics.has(w));
        this.next.set(from, new Set([...(this.next.get(from) ?? []), ...to]));
      }
    }
  }

  /** Whether some topic leads back to itself. */
  any(): boolean {
    for (const t of this.next.keys()) if (this.through(t) !== undefined) return true;
    return false;
  }

  /** The shortest cycle through `topic`, as topics starting and ending with it; undefined if there is none. */
  through(topic: string): string[] | undefined {
    const cameFrom = new Map<string, string>();
    const queue = [topic];
    for (let i = 0; i < queue.length; i++) {
      const t = queue[i]!;
      for (const n of this.next.get(t) ?? []) {
        if (n === topic) {
          const path = [topic];
          for (let at: string | undefined = t; at !== topic && at !== undefined; at = cameFrom.get(at)) path.unshift(at);
          return [topic, ...path];
        }
        if (!cameFrom.has(n)) {
          cameFrom.set(n, t);
          queue.push(n);
        }
      }
    }
    return undefined;
  }
}
