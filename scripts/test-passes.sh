#!/usr/bin/env bash
# npm test's command, run by scripts/kafka/with-broker.ts (KAFKA_BROKERS set): every test once, the Kafka tests on
# the kafkajs adapter; then the Kafka tests again on the @kafkats/client adapter (KAFKA_TEST_CLIENT=kafkats: every
# Kafka integration test runs against both client adapters, issue 17). Both passes run; it fails if either failed.
# Arguments go to the first pass (npm test -- --match '*x*').
set -u
npx ava "$@"
first=$?
echo "ts-streams: every test in ${SECONDS} s; the Kafka tests again, on the kafkats adapter (KAFKA_TEST_CLIENT=kafkats)" >&2
SECONDS=0
KAFKA_TEST_CLIENT=kafkats npx ava 'packages/*/test-integration/**/*.test.ts' 'examples/**/*-kafka.test.ts'
second=$?
echo "ts-streams: the kafkats pass in ${SECONDS} s" >&2
if [ "$first" -ne 0 ] || [ "$second" -ne 0 ]; then
  echo "ts-streams: tests failed (kafkajs pass: exit $first, kafkats pass: exit $second)" >&2
  exit 1
fi
