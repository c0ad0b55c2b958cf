/** The first `n` items of an iterable (the generators' plans are endless): the tests compare plans by prefix. */
export function take<T>(items: Iterable<T>, n: number): T[] {
  const out: T[] = [];
  for (const item of items) {
    if (out.length === n) break;
    out.push(item);
  }
  return out;
}
