import type { StreamGlobalJoinNode } from '@ts-streams/dsl';
import type { ProcessorFactory } from '../compile/compile-env.ts';
import { streamTableJoin } from './stream-table-join.ts';

/**
 * KStream-GlobalKTable join (Kafka Streams' KStreamGlobalKTableJoin → KStreamKTableJoinProcessor, 4.4 semantics as
 * recorded in conformance/cases/join-global-table-*.json): the stream-table join's processor, looking up the key
 * the key selector maps each record to. A null stream value is dropped. Inner: a null mapped key is dropped and only
 * found global values emit. Left: a null mapped key or a missing global value joins with null.
 */
export const streamGlobalJoin: ProcessorFactory<StreamGlobalJoinNode> = streamTableJoin;
