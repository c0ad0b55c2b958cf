// `npm run bench -- <suite>`: driver | state | all. Prints markdown tables; see benchmarks/RESULTS.md.
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
  console.log(toMarkdown(run()));
  console.log();
}
if (suite === 'state' || suite === 'all') {
  const mod = await import('./rocksdb-bindings.ts');
  console.log('## RocksDB bindings (issue 3)\n');
  const rows = await (mod as unknown as { run(): Promise<unknown> }).run();
  console.log(typeof rows === 'string' ? rows : JSON.stringify(rows, null, 2));
}
