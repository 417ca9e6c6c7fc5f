#!/usr/bin/env bash
# Frozen MiniLM feature extraction on SpamAssassin texts: Graft vs ONNX Runtime, same run.
# Usage: bench/feature-throughput.sh [texts=512] [rounds=3] [batch=32] [maxLength=128]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
DATA="$(./graft datasets fetch spam-assassin)"
mvn -q -B -DskipTests -pl graft-bench -am install
mvn -q -B -pl graft-bench dependency:build-classpath -Dmdep.outputFile=target/bench.classpath
export DJL_OFFLINE=true TORCH_CPP_LOG_LEVEL=ERROR
java -Xmx4g -cp "graft-bench/target/classes:$(cat graft-bench/target/bench.classpath)" \
  dev.graft.bench.FeatureThroughputBenchmark "$DATA" "$@"
