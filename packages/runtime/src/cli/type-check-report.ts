import { CliError } from './cli-error.ts';
import { display } from './load-module.ts';
import type { TypeCheckResult, TypeProblem } from './type-check.ts';

/** How many of the errors the message quotes (the rest are counted). */
const QUOTED = 3;

/**
 * A failed type check as the one message `streams run` stops with: each error as file:line:col, what TypeScript
 * said and its code, then the fix.
 */
export function typeCheckError(result: TypeCheckResult & { outcome: 'failed' }, file: string): CliError {
  const { problems } = result;
  const quoted = problems.slice(0, QUOTED).map(where).join('; ');
  const more = problems.length > QUOTED ? `; and ${problems.length - QUOTED} more` : '';
  const how = `TypeScript ${result.typescript}${result.tsconfig === undefined ? ', strict' : ` with the options of ${display(result.tsconfig)}`}`;
  return new CliError(
    `${display(file)} does not type-check (${problems.length} error${problems.length === 1 ? '' : 's'}, ${how}): ${quoted}${more}. ` +
      `Fix the types there, or run it without checking them: streams run … --no-type-check.`,
  );
}

/** The line the run logs of a check that did not stop it. */
export function typeCheckLine(result: TypeCheckResult): { readonly level: 'info' | 'debug' | 'warn'; readonly line: string } {
  if (result.outcome === 'skipped') return { level: 'warn', line: `Types not checked: ${result.reason}. (--no-type-check skips the check.)` };
  const how = `TypeScript ${result.typescript}${result.tsconfig === undefined ? '' : `, ${display(result.tsconfig)}`}`;
  return result.outcome === 'passed' && result.cached
    ? { level: 'debug', line: `Types checked: the files are unchanged since they last passed (${how}; ${result.ms} ms).` }
    : { level: 'info', line: `Types checked in ${result.ms} ms (${how}).` };
}

function where(p: TypeProblem): string {
  const at = p.file === undefined ? '' : `${display(p.file)}:${p.line}:${p.column} `;
  return `${at}${p.message.replace(/\.$/, '')} (${p.code})`;
}
