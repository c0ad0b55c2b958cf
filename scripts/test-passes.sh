#!/usr/bin/env bash
# npm test's command, run by scripts/kafka/with-broker.ts (KAFKA_BROKERS set): every test once, the Kafka tests on
# the kafkajs adapter; then the Kafka tests again on the @kafkats/client adapter (KAFKA_TEST_CLIENT=kafkats: every
# Kafka integration test runs against both client adapters, issue 17). Both passes run; it fails if either failed.
# Arguments go to the first pass (npm test -- --match '*x*').
# Each pass's output is also kept in a temporary file, so that when a pass fails its failures are printed again at
# the very end: a CI log that keeps only its last lines then still says which test failed and why.
set -u
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

npx ava "$@" 2>&1 | tee "$logs/kafkajs.log"
first=${PIPESTATUS[0]}
echo "ts-streams: every test in ${SECONDS} s; the Kafka tests again, on the kafkats adapter (KAFKA_TEST_CLIENT=kafkats)" >&2
SECONDS=0
KAFKA_TEST_CLIENT=kafkats npx ava 'packages/*/test-integration/**/*.test.ts' 'examples/**/*-kafka.test.ts' 2>&1 \
  | tee "$logs/kafkats.log"
second=${PIPESTATUS[0]}
echo "ts-streams: the kafkats pass in ${SECONDS} s" >&2

# The failures of a failed pass again: the failing tests' lines, then ava's closing report (from the first failure's
# details on), cut to a size a log tail keeps.
recap() {
  local name=$1 file=$2
  echo "ts-streams: the $name pass failed; its failing tests:" >&2
  grep -E '✘|Timed out|Exiting due to|uncaught|Unhandled' "$file" | head -n 30 >&2
  echo "ts-streams: … and the end of its report:" >&2
  tail -n 60 "$file" | grep -v '^\s*ℹ' | tail -n 45 >&2
}
if [ "$first" -ne 0 ] || [ "$second" -ne 0 ]; then
  [ "$first" -ne 0 ] && recap kafkajs "$logs/kafkajs.log"
  [ "$second" -ne 0 ] && recap kafkats "$logs/kafkats.log"
  echo "ts-streams: tests failed (kafkajs pass: exit $first, kafkats pass: exit $second)" >&2
  exit 1
fi
