// The package dependency direction (dsl ← state ← runtime) and the workspaces' declared dependencies, checked by
// dependency-cruiser on every `npm test` (`npm run check:deps`). An import of '@ts-streams/x' resolves, through
// the '@ts-streams/source' condition, to node_modules/@ts-streams/x/src/… (the workspace link, kept as such so
// that it must be declared like any npm dependency); a relative import resolves to packages/x/….
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'dsl-depends-on-no-package',
      comment: 'dsl (the builder API, serdes, the logical graph) is the base every package depends on: it imports neither state nor runtime.',
      severity: 'error',
      from: { path: '^packages/dsl/' },
      to: { path: '^(packages|node_modules/@ts-streams)/(state|runtime)/' },
    },
    {
      name: 'state-knows-no-runtime',
      comment: 'state (the stores) knows nothing of the runtime that uses it.',
      severity: 'error',
      from: { path: '^packages/state/' },
      to: { path: '^(packages|node_modules/@ts-streams)/runtime/' },
    },
    {
      name: 'state-knows-only-dsl-errors',
      comment:
        "state knows nothing of the DSL: of dsl it imports only the error hierarchy (packages/dsl/src/errors/, " +
        "'@ts-streams/dsl/errors'), whose base its errors extend.",
      severity: 'error',
      from: { path: '^packages/state/' },
      to: { path: '^(packages|node_modules/@ts-streams)/dsl/', pathNot: '^(packages|node_modules/@ts-streams)/dsl/src/errors/' },
    },
    {
      name: 'packages-import-packages-by-name',
      comment:
        "A package reaches another only by its name and public entry points ('@ts-streams/dsl', …), never by a " +
        'relative path into its files (what it needs of another package must be public there).',
      severity: 'error',
      from: { path: '^packages/([^/]+)/' },
      to: { path: '^packages/', pathNot: '^packages/$1/' },
    },
    {
      name: 'public-entry-points-only',
      comment:
        "examples/, conformance/ and benchmarks/ use the packages as a user does: '@ts-streams/…' and its public " +
        'entry points, not relative paths into packages/. Exception: the RocksDB key-value benchmark measures ' +
        "state's caching and change-logging layers bare (internals), and says so.",
      severity: 'error',
      from: { path: '^(examples|conformance|benchmarks)/' },
      to: { path: '^packages/', pathNot: '^packages/state/src/layers/(caching|change-logging)-key-value-store[.]ts$' },
    },
    {
      name: 'packages-do-not-import-the-repository',
      comment: 'The packages do not depend on examples, benchmarks or the conformance suite.',
      severity: 'error',
      from: { path: '^packages/' },
      to: { path: '^((node_modules/@ts-streams/)?(examples|benchmarks|conformance))/' },
    },
    {
      name: 'no-non-package-json',
      comment:
        "Every package imported, '@ts-streams/…' included, is declared in the importing workspace's package.json " +
        "(or, for the tests' tools, the root one's devDependencies), so that it installs with the workspace.",
      severity: 'error',
      from: {},
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'not-to-dev-dep',
      comment: "A package's sources import no devDependency (tests, examples, benchmarks and conformance may).",
      severity: 'error',
      from: { path: '^packages/[^/]+/src/' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['npm'] },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'Every import resolves.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // TypeScript 7's package has no compiler API for dependency-cruiser to parse with (it supports TypeScript < 7):
    // swc parses the sources. Type-only imports count: a type is a dependency too.
    parser: 'swc',
    tsPreCompilationDeps: true,
    // The root's devDependencies (ava, tsx, @types/node) serve every workspace's tests.
    combinedDependencies: true,
    preserveSymlinks: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^packages/[^/]+/dist/' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['@ts-streams/source', 'import', 'require', 'node', 'default'],
      extensions: ['.ts', '.js', '.json'],
    },
  },
};
