#!/usr/bin/env bash
# Frozen MobileNetV2 feature extraction (image pipeline + forward) on random images.
# Usage: bench/image-throughput.sh [images=256] [rounds=3] [batch=32] [sizes=96,224]
# On a busy machine PyTorch's spinning OpenMP threads collapse small-image throughput (96 px: 30
# images/s instead of 111 at load 5.5); OMP_WAIT_POLICY=PASSIVE in the environment avoids that.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
mvn -q -B -DskipTests -pl graft-bench -am install
mvn -q -B -pl graft-bench dependency:build-classpath -Dmdep.outputFile=target/bench.classpath
export DJL_OFFLINE=true TORCH_CPP_LOG_LEVEL=ERROR
java -Xmx4g -cp "graft-bench/target/classes:$(cat graft-bench/target/bench.classpath)" \
  dev.graft.bench.ImageThroughputBenchmark "$@"
