#!/usr/bin/env bash
# `npm run check:pack`: builds the packages, packs each with npm pack, installs the three tarballs into a new
# project outside the repository, then, with plain node (no tsx, no source condition), runs
# pack-consumer/smoke.mjs (the entry points resolve to dist/*.js, internals are not exported, a topology runs
# through the test driver) and type-checks pack-consumer/types.ts against the published .d.ts files.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/ts-streams-pack.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

# From an empty dist/: tsc -b leaves the output of a deleted source file behind, and npm pack would ship it.
rm -rf packages/dsl/dist packages/state/dist packages/runtime/dist
npm run --silent build
npm pack --silent --pack-destination "$WORK" -w packages/dsl -w packages/state -w packages/runtime >/dev/null
cd "$WORK"
printf '{ "name": "pack-consumer", "private": true, "type": "module" }\n' > package.json
# The tarballs' own dependencies (luxon, rxjs, the RocksDB binding) come from the registry, or npm's cache when
# this repository's npm ci filled it; @types/node for the type check.
npm install --silent --no-audit --no-fund --prefer-offline ./ts-streams-dsl-*.tgz ./ts-streams-state-*.tgz ./ts-streams-runtime-*.tgz "@types/node@$(node -p "require('$ROOT/node_modules/@types/node/package.json').version")"
cp "$ROOT"/scripts/pack-consumer/* .
node smoke.mjs
"$ROOT/node_modules/.bin/tsc" -p tsconfig.json
echo "pack-consumer: types.ts type-checks against the published .d.ts files"
