import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

/** A tsconfig file and those it extends, as the type check reads them. */
export interface TsconfigChain {
  /** The tsconfig.json nearest to the file (absolute). */
  readonly file: string;
  /** It and every file it extends, each with its text (for the type check's cache key). */
  readonly files: readonly { readonly path: string; readonly text: string }[];
  /** Whether one of them sets compilerOptions.typeRoots (the check then keeps theirs). */
  readonly setsTypeRoots: boolean;
}

/**
 * The tsconfig.json nearest to `dir` (in it or a folder above), as an editor picks a file's project, and the files it
 * extends, or undefined when there is none. Read leniently (tsconfig files may hold comments and trailing commas); a
 * file that cannot be read or parsed ends the chain — TypeScript itself reports it when it checks.
 */
export function tsconfigChain(dir: string): TsconfigChain | undefined {
  let file: string | undefined;
  for (let at = resolve(dir); ; at = dirname(at)) {
    if (existsSync(join(at, 'tsconfig.json'))) {
      file = join(at, 'tsconfig.json');
      break;
    }
    if (dirname(at) === at) return undefined;
  }
  const files: { path: string; text: string }[] = [];
  let setsTypeRoots = false;
  const visit = (path: string) => {
    if (files.some((f) => f.path === path) || files.length > 20) return;
    let text: string;
    let json: { extends?: unknown; compilerOptions?: { typeRoots?: unknown } };
    try {
      text = readFileSync(path, 'utf8');
      json = JSON.parse(jsonOfJsonc(text)) as typeof json;
    } catch {
      return;
    }
    files.push({ path, text });
    if (json.compilerOptions?.typeRoots !== undefined) setsTypeRoots = true;
    const bases = typeof json.extends === 'string' ? [json.extends] : Array.isArray(json.extends) ? json.extends.filter((e): e is string => typeof e === 'string') : [];
    for (const base of bases) {
      const found = resolveExtends(path, base);
      if (found !== undefined) visit(found);
    }
  };
  visit(file);
  return { file, files, setsTypeRoots };
}

/** Where `"extends": base` of the tsconfig `from` points: a path, or a package's tsconfig as TypeScript looks it up. */
function resolveExtends(from: string, base: string): string | undefined {
  if (base.startsWith('.') || base.startsWith('/')) {
    const path = resolve(dirname(from), base);
    return existsSync(path) ? path : existsSync(`${path}.json`) ? `${path}.json` : undefined;
  }
  const require = createRequire(from);
  for (const candidate of [base, `${base}.json`, `${base}/tsconfig.json`]) {
    try {
      return require.resolve(candidate);
    } catch {
      // the next form
    }
  }
  return undefined;
}

/** JSON with comments and trailing commas (a tsconfig file) as JSON: both removed, strings left as they are. */
function jsonOfJsonc(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      const start = i;
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
      out += text.slice(start, i + 1);
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end === -1 ? text.length : end + 1;
    } else {
      out += c;
    }
  }
  return out.replace(/,(\s*[}\]])/g, '$1');
}
