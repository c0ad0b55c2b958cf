import { TopologyError, type LogicalGraph } from '@ts-streams/dsl';

/** Topics whose partitions must line up (a join's inputs), and the join steps that require it. */
export interface CopartitionGroup {
  readonly topics: readonly string[];
  readonly steps: readonly string[];
}

/**
 * The co-partition groups of a graph, by broker topic names (InternalTopologyBuilder#copartitionGroups): for each
 * join the topics of the sources upstream of its inputs, groups that share a topic merged into one.
 */
export function copartitionGroups(graph: LogicalGraph, resolve: (topic: string, internal: boolean) => string): CopartitionGroup[] {
  const groups: { topics: Set<string>; steps: string[] }[] = [];
  for (const { nodes, step } of graph.copartition) {
    const topics = new Set<string>();
    const seen = new Set<string>();
    const stack = [...nodes];
    while (stack.length > 0) {
      const name = stack.pop()!;
      if (seen.has(name)) continue;
      seen.add(name);
      const n = graph.node(name);
      if (n.kind === 'source') for (const t of n.topics) topics.add(resolve(t, n.internal));
      else stack.push(...n.parents);
    }
    const overlapping = groups.filter((g) => [...topics].some((t) => g.topics.has(t)));
    const merged = { topics, steps: [step] };
    for (const g of overlapping) {
      for (const t of g.topics) merged.topics.add(t);
      merged.steps.unshift(...g.steps);
      groups.splice(groups.indexOf(g), 1);
    }
    groups.push(merged);
  }
  return groups.map((g) => ({ topics: [...g.topics], steps: g.steps }));
}

/**
 * Makes a co-partitioned group's repartition topics agree, as Kafka Streams' CopartitionedTopicsEnforcer: with user
 * topics in the group, those must all have one count, which the repartition topics take; with only repartition
 * topics, the explicit counts (repartition(numberOfPartitions)) must agree and win, else the max wins. An explicit
 * count that differs from what the group needs is an error too.
 */
export function enforceCopartitioning(
  group: CopartitionGroup,
  repartitions: ReadonlyMap<string, { readonly explicit: number | undefined; partitions: number | undefined }>,
  sourcePartitions: ReadonlyMap<string, number>,
): void {
  const step = group.steps[0];
  const internal = group.topics.filter((t) => repartitions.has(t));
  const user = group.topics.filter((t) => !repartitions.has(t)).sort();
  const list = (topics: readonly string[], count: (t: string) => number) => topics.map((t) => `'${t}' (${count(t)} partitions)`).join(', ');
  let partitions: number;
  if (user.length > 0) {
    const counts = user.map((t) => sourcePartitions.get(t)!);
    partitions = counts[0]!;
    if (counts.some((c) => c !== partitions)) {
      throw new TopologyError(
        `The join needs its input topics co-partitioned (the same partition count, so that a key is in the same ` +
          `partition of each), but ${list(user, (t) => sourcePartitions.get(t)!)} differ. Recreate one with the ` +
          `other's count, or repartition one side to it (repartition({ numberOfPartitions })).`,
        { step },
      );
    }
  } else {
    const explicit = internal.filter((t) => repartitions.get(t)!.explicit !== undefined).sort();
    if (explicit.length > 0) {
      partitions = repartitions.get(explicit[0]!)!.explicit!;
      if (explicit.some((t) => repartitions.get(t)!.explicit !== partitions)) {
        throw new TopologyError(
          `The join needs its repartition topics co-partitioned, but their repartition() calls give them different ` +
            `partition counts: ${list(explicit, (t) => repartitions.get(t)!.explicit!)}. Give them the same numberOfPartitions.`,
          { step },
        );
      }
    } else {
      partitions = Math.max(...internal.map((t) => repartitions.get(t)!.partitions!));
    }
  }
  for (const t of internal) {
    const r = repartitions.get(t)!;
    if (r.explicit === undefined) r.partitions = partitions;
    else if (r.explicit !== partitions) {
      throw new TopologyError(
        `Repartition topic '${t}' has ${r.explicit} partitions (repartition numberOfPartitions), but the join reads ` +
          `it beside ${list(user, (u) => sourcePartitions.get(u)!)}: co-partitioned topics need the same count. ` +
          `Give the repartition ${partitions} partitions, or leave numberOfPartitions out to follow the input.`,
        { step },
      );
    }
  }
}
