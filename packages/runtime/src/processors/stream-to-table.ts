import type { StreamToTableNode } from '@ts-streams/dsl';
import type { ProcessorFactory } from '../compile/compile-env.ts';
import { tableSource } from './table-source.ts';

/**
 * KStream#toTable (Kafka Streams uses its KTableSource for it): upsert into the store, null value deletes,
 * null keys dropped, forward { newValue, oldValue }.
 */
export const streamToTable: ProcessorFactory<StreamToTableNode> = tableSource;
