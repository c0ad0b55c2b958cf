/** The small helpers every bench driver shares: the median of its runs, integers as printed, progress to stderr. */

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** An integer with thousands separators (1,234,567). */
export const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

/** A progress line on stderr (stdout stays for results). */
export const log = (line: string): void => console.error(line);
