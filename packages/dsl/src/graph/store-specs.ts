import type { StoreSpec, StoreType } from './store-spec.ts';
import type { Materialized } from '../options/materialized.ts';
import type { Serde } from '../serde/serde.ts';
import { toMillis } from '../window/duration.ts';

/** Builds the StoreSpec for a DSL-materialized store from the user's Materialized and the known serdes. */
export function storeSpecFrom(
  name: string,
  type: StoreType,
  materialized: Materialized<any, any> | undefined,
  keySerde: Serde<any> | undefined,
  valueSerde: Serde<any> | undefined,
  generatedName: boolean,
  extra: Partial<Pick<StoreSpec, 'retentionMs' | 'windowSizeMs' | 'retainDuplicates' | 'timeOrdered' | 'caching'>> = {},
): StoreSpec {
  const m = materialized ?? {};
  const spec: StoreSpec = {
    name,
    type,
    keySerde: m.keySerde ?? keySerde,
    valueSerde: m.valueSerde ?? valueSerde,
    backend: m.backend,
    caching: m.caching ?? true,
    logging: m.logging ?? true,
    logConfig: m.logConfig ?? {},
    generatedName,
    ...extra,
  };
  if (m.retention !== undefined) return { ...spec, retentionMs: toMillis(m.retention, `retention of store '${name}'`) };
  return spec;
}
