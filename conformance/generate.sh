#!/usr/bin/env bash
# Regenerates every conformance/cases/*.json from Kafka Streams 4.4.0's TopologyTestDriver.
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
exec java -cp "$DIR/target/classes:$(cat "$DIR/target/classpath.txt")" dev.tsstreams.conformance.Generate "$DIR/cases" "$@"
