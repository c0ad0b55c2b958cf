import test from 'ava';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CaseFile } from '../ts/case-file.ts';
import type { ConformanceCase } from '../ts/conformance-case.ts';
import { replay, firstDifference } from '../ts/replay.ts';

// Every case Kafka Streams generated that has a TypeScript port next to it is replayed through our
// driver and compared record for record and byte for byte. Cases not yet ported are listed in
// conformance/README.md; the test below checks that list is honest.
const casesDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'cases');
const names = readdirSync(casesDir).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();

/** One test per generated case in `dir` that has a TypeScript port in cases/. */
function replayAll(dir: string, title: (name: string) => string, what: string): void {
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort()) {
    const tsFile = join(casesDir, `${name}.ts`);
    if (!existsSync(tsFile)) continue;
    test(title(name), async (t) => {
      const file = JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as CaseFile;
      const mod = (await import(pathToFileURL(tsFile).href)) as { default: ConformanceCase };
      const ours = replay(file, mod.default.build());
      const diff = firstDifference(file, ours);
      t.is(diff, undefined, `${name}${what}: ${file.description}\n${diff ?? ''}`);
    });
  }
}

replayAll(casesDir, (name) => name, '');
// The same cases as Kafka Streams runs them with its default 10 MiB record cache (cases-cached/, generated with
// CONFORMANCE_CACHE_MAX_BYTES: only the cache size differs), replayed through the same TypeScript ports with the
// same cache size.
replayAll(join(casesDir, '..', 'cases-cached'), (name) => `cached › ${name}`, ' (10 MiB cache)');

test('the README lists every case that has no TypeScript port yet', (t) => {
  const readme = readFileSync(join(casesDir, '..', 'README.md'), 'utf8');
  const unported = names.filter((n) => !existsSync(join(casesDir, `${n}.ts`)));
  for (const n of unported) t.regex(readme, new RegExp(`\\| ${n} \\|[^\\n]*not ported`), `${n} has no .ts port; README must say "not ported"`);
  t.pass();
});
