#!/usr/bin/env bash
# Benchmark (not a test) of configure timing accuracy on a testbed payload whose payload_exec sleeps 1.000 s.
# Usage (root, Linux): conformance-core/bench/configure-timing.sh [RUNS]   (default 5)
set -euo pipefail
cd "$(dirname "$0")/../.."
# the reactor resolves the sibling modules to their target/classes: nothing is installed into ~/.m2
./mvnw -B -q -pl conformance-core -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile=target/bench.cp >/dev/null
cp="conformance-core/target/test-classes:conformance-core/target/classes:$(cat conformance-core/target/bench.cp)"
exec java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$cp" io.sigkit.timing.ConfigureTimingBenchmark "${1:-5}"
