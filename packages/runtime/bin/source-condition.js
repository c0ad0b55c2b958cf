// A module resolve hook for running the CLI from this repository's sources: every import resolves with the
// '@ts-streams/source' export condition, so '@ts-streams/dsl' (and state, runtime) load their TypeScript sources —
// for the CLI and for the user's topology alike, one copy of each package — as the tests' --conditions flag does.
export async function resolve(specifier, context, nextResolve) {
  return nextResolve(specifier, { ...context, conditions: [...context.conditions, '@ts-streams/source'] });
}
