#!/usr/bin/env node
// The `streams` command (src/cli/main.ts). TypeScript loads through tsx's API, registered before anything else: the
// user's topology.ts, generator.ts and --config modules are TypeScript files run directly (Node 20 has no type
// stripping). Installed from npm (this file under node_modules/), it runs the compiled CLI in dist/; in a checkout of
// the repository it runs the sources, so `npx streams` there needs no build.
import { register as registerHooks } from 'node:module';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register();
registerHooks('./typescript-as-esm.js', import.meta.url);
let main;
if (/[\\/]node_modules[\\/]/.test(fileURLToPath(import.meta.url))) {
  // Built by `npm run build` before packing (a checkout has no dist/, so no tool resolves this path there).
  ({ main } = await import(new URL('../dist/cli/main.js', import.meta.url).href));
} else {
  registerHooks('./source-condition.js', import.meta.url);
  ({ main } = await import('../src/cli/main.ts'));
}
const code = await main(process.argv.slice(2));
process.exitCode = code;
// A client may leave a socket or timer behind once closed: the command is done, do not wait on it.
setTimeout(() => process.exit(code), 1_000).unref();
