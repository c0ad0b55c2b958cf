// The type check `streams run` makes before it runs a user's files (src/cli/type-check.ts), on files of a project of
// its own (no tsconfig.json: the strict defaults), with the TypeScript this repository has.
import test from 'ava';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { typeCheck } from '../src/cli/type-check.ts';

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'streams-type-check-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

test('a file and its imports pass; checked again unchanged, the cached pass answers; a change to an import is checked again, and its error names that file', async (t) => {
  const dir = project({
    'topology.ts': "import { double } from './helper.ts';\nexport default double(21);\n",
    'helper.ts': 'export function double(n: number): number {\n  return n * 2;\n}\n',
  });
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const options = { files: [join(dir, 'topology.ts')], cacheDir: join(dir, 'state', '.type-check') };

  const first = await typeCheck(options);
  t.like(first, { outcome: 'passed', cached: false, tsconfig: undefined });
  t.like(await typeCheck(options), { outcome: 'passed', cached: true });

  writeFileSync(join(dir, 'helper.ts'), "export function double(n: number): number {\n  return `${n}${n}`;\n}\n");
  const broken = await typeCheck(options);
  t.is(broken.outcome, 'failed');
  if (broken.outcome !== 'failed') return;
  t.deepEqual(broken.problems, [{ file: join(dir, 'helper.ts'), line: 2, column: 3, code: 'TS2322', message: "Type 'string' is not assignable to type 'number'." }]);
  t.like(await typeCheck(options), { outcome: 'failed' }, 'a failure is not cached as a pass');

  writeFileSync(join(dir, 'helper.ts'), 'export function double(n: number): number {\n  return n + n;\n}\n');
  t.like(await typeCheck(options), { outcome: 'passed', cached: false });
  t.like(await typeCheck(options), { outcome: 'passed', cached: true });
});

test("the nearest tsconfig.json's options hold (through extends), and a change to it is checked again", async (t) => {
  const dir = project({
    'tsconfig.base.json': '{\n  // comments and trailing commas, as tsconfig files have them\n  "compilerOptions": { "strict": true, "noUnusedLocals": false, },\n}\n',
    'tsconfig.json': '{ "extends": "./tsconfig.base.json", "compilerOptions": { "module": "ESNext", "moduleResolution": "Bundler", "allowImportingTsExtensions": true, "noEmit": true }, "include": ["src"] }\n',
  });
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'app'));
  writeFileSync(join(dir, 'app', 'topology.ts'), 'const unused = 1;\nexport default 2;\n');
  const options = { files: [join(dir, 'app', 'topology.ts')], cacheDir: join(dir, '.streams', '.type-check') };

  t.like(await typeCheck(options), { outcome: 'passed', cached: false, tsconfig: join(dir, 'tsconfig.json') });
  writeFileSync(join(dir, 'tsconfig.base.json'), '{ "compilerOptions": { "strict": true, "noUnusedLocals": true } }\n');
  const stricter = await typeCheck(options);
  t.is(stricter.outcome, 'failed');
  if (stricter.outcome !== 'failed') return;
  t.like(stricter.problems[0], { file: join(dir, 'app', 'topology.ts'), line: 1, column: 7, code: 'TS6133' });
});
