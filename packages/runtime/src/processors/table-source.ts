import type { TableSourceNode, StreamToTableNode } from '@ts-streams/dsl';
import type { ProcessorFactory } from '../compile/compile-env.ts';
import type { ProcessorContext } from '../internal-types.ts';
import { TableOutput } from './table-output.ts';

/**
 * A KTable/GlobalKTable source (Kafka Streams' KTableSource): upserts each record into the table's store
 * (a null value deletes) and forwards { newValue, oldValue }. Records with a null key are dropped and counted.
 *
 * As in Kafka, the store is used only when the table is materialized: it has a queryable name, a downstream step
 * needs old values, or another step reads the store (a join's value getter). The DSL decides that at build()
 * (materializeTables) and leaves the node without a store otherwise. Then each record is forwarded
 * as { newValue, oldValue: null } at once — with caching on too, so a tombstone for a key the table never had
 * still goes downstream (a materialized, cached table drops it: nothing to delete).
 */
export const tableSource: ProcessorFactory<TableSourceNode | StreamToTableNode> = (node, env) => {
  const output = new TableOutput(node.store, env.sendOldValues(node.name));
  return {
    init(c: ProcessorContext<any, any>) {
      output.init(c);
    },
    process(r) {
      if (r.key === null || r.key === undefined) {
        env.metrics.drop('null-key', node.name);
        return;
      }
      const newValue = r.value ?? null;
      output.emit(r.key, newValue, output.materialized ? output.stored(r.key) : null, r.timestamp, r.headers);
    },
  };
};
