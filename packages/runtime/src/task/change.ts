/** What KTable processors forward as a record's value: the new value and (if requested) the old one. */
export interface Change<V> {
  readonly newValue: V | null;
  readonly oldValue: V | null;
}

export function change<V>(newValue: V | null, oldValue: V | null): Change<V> {
  return { newValue, oldValue };
}
