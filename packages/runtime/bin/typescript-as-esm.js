// A module resolve hook: the user's TypeScript files (.ts, .tsx outside node_modules) load as ES modules even in a
// package without "type": "module" (a fresh `npm init` project), where Node and tsx would take them for CommonJS. As
// CommonJS, a topology's require('@ts-streams/dsl') would load a second copy of the DSL (tsx compiles the ESM package
// for require), whose Topology the CLI's copy does not recognise. TypeScript files are written as ES modules anyway.
export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  if (resolved.format === 'commonjs' && !resolved.url.includes('/node_modules/') && /\.tsx?$/.test(new URL(resolved.url).pathname)) {
    return { ...resolved, format: 'module' };
  }
  return resolved;
}
