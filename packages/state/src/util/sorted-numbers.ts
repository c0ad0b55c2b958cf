// Binary search over ascending arrays of numbers (segment ids, window starts). Kept apart from key-string.ts's
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
