# Sourced by long benchmarks: builds graft-cli (and graft-bench) once and runs `graft` from a copy of
# the jars in $1, so that editing or rebuilding the sources while the benchmark runs changes nothing.
# Defines graft() and BENCH_CP (graft-bench's classes and dependencies).
snapshot() {
  local bin="$1"
  (cd "$ROOT" && { mvn -q -B -o -DskipTests -pl graft-bench,graft-cli -am install 2>/dev/null \
      || mvn -q -B -DskipTests -pl graft-bench,graft-cli -am install; } \
    && mvn -q -B -pl graft-bench dependency:build-classpath -Dmdep.outputFile=target/bench.classpath)
  rm -rf "$bin"; mkdir -p "$bin/cli" "$bin/bench"
  cp "$ROOT"/graft-cli/target/graft-cli-*.jar "$ROOT"/graft-cli/target/lib/*.jar "$bin/cli/"
  cp -r "$ROOT/graft-bench/target/classes" "$bin/bench/"
  for jar in $(tr ':' ' ' < "$ROOT/graft-bench/target/bench.classpath"); do cp "$jar" "$bin/bench/"; done
  BENCH_CP="$bin/bench/classes:$bin/bench/*"
  export DJL_OFFLINE=true TORCH_CPP_LOG_LEVEL=ERROR MKL_ENABLE_INSTRUCTIONS="${MKL_ENABLE_INSTRUCTIONS:-AVX512}"
  GRAFT_BIN="$bin"
}
graft() { java ${GRAFT_JAVA_OPTS:--Xmx4g} -Dai.djl.offline=true -cp "$GRAFT_BIN/cli/*" dev.graft.cli.GraftCommand "$@"; }
