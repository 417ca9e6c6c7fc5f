#!/usr/bin/env bash
# Runs a graft-spark job on this machine (Spark local mode, Spark's jars from the Maven build),
# building the job jar first when the sources changed. On a cluster, use spark-submit with the
# job jar instead (README, "Spark"). Usage: ./graft-spark.sh JOB [options]; ./graft-spark.sh --help
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
STAMP="$ROOT/graft-spark/target/.graft-spark-built"

if [[ ! -f "$STAMP" || -n "$(find "$ROOT/pom.xml" "$ROOT/graft-core/pom.xml" "$ROOT/graft-spark/pom.xml" \
    "$ROOT/graft-core/src/main" "$ROOT/graft-spark/src/main" -newer "$STAMP" -print -quit)" ]]; then
  echo "graft-spark: building the job jar (first run or sources changed)..." >&2
  (cd "$ROOT" && mvn -q -B -Dstyle.color=never -DskipTests -pl graft-spark -am install >&2) \
    || { echo "graft-spark: build failed; run 'mvn -DskipTests -pl graft-spark -am install' to see why" >&2; exit 1; }
  touch "$STAMP"
fi

# what spark-submit adds on Java 17 (Spark's JavaModuleOptions)
OPENS=(-XX:+IgnoreUnrecognizedVMOptions -Djdk.reflect.useDirectMethodHandle=false -Dio.netty.tryReflectionSetAccessible=true)
for p in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util java.util.concurrent \
    java.util.concurrent.atomic jdk.internal.ref sun.nio.ch sun.nio.cs sun.security.action sun.util.calendar; do
  OPENS+=("--add-opens=java.base/$p=ALL-UNNAMED")
done
export DJL_OFFLINE=true
export TORCH_CPP_LOG_LEVEL="${TORCH_CPP_LOG_LEVEL:-ERROR}"
# MKL picks slower kernels on AMD CPUs unless told AVX-512 may be used (BENCHMARKS.md: matmul
# 133 -> 163 GFLOP/s, frozen features 0.82 -> 0.87-0.90 of ONNX Runtime on this EPYC)
export MKL_ENABLE_INSTRUCTIONS="${MKL_ENABLE_INSTRUCTIONS:-AVX512}"
JAR="$(ls "$ROOT"/graft-spark/target/graft-spark-*-job.jar | head -1)"
exec java ${GRAFT_JAVA_OPTS:--Xmx4g} "${OPENS[@]}" -Dai.djl.offline=true -Dspark.ui.enabled=false \
  -cp "$JAR:$(cat "$ROOT/graft-spark/target/spark-classpath.txt")" dev.graft.spark.GraftSparkJob "$@"
