#!/usr/bin/env bash
# Regenerates the conformance cases and fails if the committed JSON differs from what Kafka Streams emits.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash conformance/generate.sh
changed="$(git status --porcelain --untracked-files=all -- 'conformance/cases/*.json' 'conformance/cases-cached/*.json')"
if [ -n "$changed" ]; then
  echo "conformance: generated cases differ from the committed ones (run 'npm run conformance:generate' and commit):" >&2
  echo "$changed" >&2
  exit 1
fi
echo "conformance: all cases in conformance/cases and conformance/cases-cached are up to date"
