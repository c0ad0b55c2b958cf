#!/usr/bin/env bash
# Regenerates every conformance/cases/*.json from Kafka Streams 4.4.0's TopologyTestDriver, and
# conformance/cases-cached/*.json: the same cases with a 10 MiB record cache where they run without one.
# Run from anywhere; the first run downloads the jars once into conformance/.m2 (git-ignored).
set -euo pipefail
DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$DIR"
MVN=(mvn -B -q -f "$DIR/pom.xml" "-Dmaven.repo.local=$DIR/.m2")
# compile + write the runtime classpath to a file
mkdir -p "$DIR/target"
if ! "${MVN[@]}" compile dependency:build-classpath -Dmdep.outputFile="$DIR/target/classpath.txt" -Dmdep.includeScope=runtime >"$DIR/target/build.log" 2>&1; then
  cat "$DIR/target/build.log" >&2
  echo "conformance: maven build failed" >&2
  exit 1
fi
CP="$DIR/target/classes:$(cat "$DIR/target/classpath.txt")"
java -cp "$CP" dev.tsstreams.conformance.Generate "$DIR/cases" "$@"
# The same cases with Kafka's default 10 MiB record cache (the default of ours too), where a case runs without one.
CONFORMANCE_CACHE_MAX_BYTES=10485760 java -cp "$CP" dev.tsstreams.conformance.Generate "$DIR/cases-cached" "$@"
