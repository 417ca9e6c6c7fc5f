#!/usr/bin/env bash
# One fine-tuning epoch on SpamAssassin texts: partial:2 with vs without the freeze-boundary
# cache, and full, in one process (batch 16, 128 tokens).
# Usage: bench/fine-tune-epoch.sh [texts=512] [rounds=2]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
DATA="$(./graft datasets fetch spam-assassin)"
mvn -q -B -DskipTests -pl graft-bench -am install
mvn -q -B -pl graft-bench dependency:build-classpath -Dmdep.outputFile=target/bench.classpath
export DJL_OFFLINE=true TORCH_CPP_LOG_LEVEL=ERROR
java -Xmx6g -cp "graft-bench/target/classes:$(cat graft-bench/target/bench.classpath)" \
  dev.graft.bench.FineTuneBenchmark "$DATA" "$@"
