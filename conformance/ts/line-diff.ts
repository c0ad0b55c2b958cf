/**
 * A unified-style line diff of two texts ('-' lines only in `expected`, '+' only in `actual`, with a line of
 * context around each change), so a describe() mismatch reads like `diff -u` in a test failure.
 */
export function lineDiff(expected: string, actual: string, context = 1): string {
  const a = expected.split('\n');
  const b = actual.split('\n');
  // Longest common subsequence table, from the end (texts are topology descriptions: small).
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const ops: { tag: ' ' | '-' | '+'; line: string }[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      ops.push({ tag: ' ', line: a[i]! });
      i++;
      j++;
    } else if (i < a.length && (j === b.length || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) {
      ops.push({ tag: '-', line: a[i++]! });
    } else {
      ops.push({ tag: '+', line: b[j++]! });
    }
  }
  const keep = ops.map((op, k) => op.tag !== ' ' || ops.slice(Math.max(0, k - context), k + context + 1).some((o) => o.tag !== ' '));
  const out: string[] = [];
  for (let k = 0; k < ops.length; k++) {
    if (keep[k]) out.push(`${ops[k]!.tag} ${ops[k]!.line}`);
    else if (k > 0 && keep[k - 1]) out.push('  ...');
  }
  return out.join('\n');
}
