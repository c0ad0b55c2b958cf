import type { ProcessorGraphNode } from '@ts-streams/dsl';

export type AggregatorFn = (key: unknown, value: unknown, agg: unknown) => unknown;

/**
 * The initializer and aggregator of a windowed count/aggregate/reduce node. A reduce (params.reducer) is an
 * aggregate whose initial aggregate is null, as in Kafka Streams' KGroupedStreamImpl.aggregatorForReducer.
 */
export function aggregationFunctions(node: ProcessorGraphNode): { initializer: () => unknown; aggregator: AggregatorFn } {
  const reducer = node.params['reducer'] as ((agg: unknown, value: unknown) => unknown) | undefined;
  if (reducer) {
    return {
      initializer: () => null,
      aggregator: (_k, v, agg) => (agg === null || agg === undefined ? v : reducer(agg, v)),
    };
  }
  return {
    initializer: node.params['initializer'] as () => unknown,
    aggregator: node.params['aggregator'] as AggregatorFn,
  };
}

/** True for emitStrategy('on-window-close'): results go out once per window, when it closes. */
export function emitsOnWindowClose(node: ProcessorGraphNode): boolean {
  return node.params['emitStrategy'] === 'on-window-close';
}
