// Binary search over ascending arrays of numbers (segment ids, window starts) and of number pairs held in two
// parallel arrays (sessions by (end, start), cached windows by time). Kept apart from key-string.ts's
// generic lowerBound/upperBound, which the key-value stores call with strings: a comparison that sees strings and
// numbers alike loses its fast path, so each kind of element has its own function.

/** Index of the first element of ascending `arr` that is >= x (arr.length if none). */
export function lowerBoundNumber(arr: readonly number[], x: number): number {
  let lo = 0, hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (arr[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first element of ascending `arr` that is > x (arr.length if none). */
export function upperBoundNumber(arr: readonly number[], x: number): number {
  let lo = 0, hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (arr[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first pair (firsts[i], seconds[i]) of ascending pairs that is >= (a, b) (firsts.length if none). */
export function lowerBoundPair(firsts: readonly number[], seconds: readonly number[], a: number, b: number): number {
  let lo = 0, hi = firsts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (firsts[mid]! < a || (firsts[mid] === a && seconds[mid]! < b)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
