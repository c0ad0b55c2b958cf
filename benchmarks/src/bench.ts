// `npm run bench -- <suite> [--no-bindings]`: driver | state | all (--no-bindings skips the ~8 min binding comparison). Prints markdown tables; see benchmarks/RESULTS.md.
const suite = process.argv[2] ?? 'all';
const known = ['driver', 'state', 'all'];
if (!known.includes(suite)) {
  console.error(`Unknown benchmark suite '${suite}'. Use one of: ${known.join(', ')} (e.g. npm run bench -- driver).`);
  process.exit(2);
}
console.log(`# ts-streams benchmarks — ${new Date().toISOString()} — node ${process.version}, ${(await import('node:os')).cpus().length} cores\n`);
if (suite === 'driver' || suite === 'all') {
  const { run, toMarkdown } = await import('./driver-bench.ts');
  console.log('## Driver (issue 2)\n');
  console.log(toMarkdown(await run()));
  console.log();
}
if (suite === 'state' || suite === 'all') {
  const { toMarkdown } = await import('./driver-bench.ts');
  const state = await import('./state-bench.ts');
  console.log('## Driver on RocksDB stores (issue 3)\n');
  console.log(toMarkdown(await state.run()));
  console.log();
  if (!process.argv.includes('--no-bindings')) {
    const mod = await import('./rocksdb-bindings.ts');
    console.log('## RocksDB bindings (issue 3)\n');
    console.log(mod.markdownTable(await mod.run()));
  }
}
