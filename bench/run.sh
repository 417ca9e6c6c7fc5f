#!/usr/bin/env bash
# Graft against its peers and against the machine's float32 matmul ceiling, each suite measured in
# one run (ratios, medians of rounds with min-max). Writes bench/results/<suite>*.json and
# regenerates BENCHMARKS.md from them.
# Usage: bench/run.sh [all|ceiling|features|finetune|kernels|endtoend|scaling]   (FEATURE_TEXTS, STEPS,
# ROUNDS, SIZES, LENGTHS, EPOCH_SIZES override sizes; "scaling" is long and not part of "all")
# The fine-tuning peer is PyTorch eager in Python: Debian's python3-torch with OpenBLAS, installed when missing.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
SUITE="${1:-all}"
RESULTS="$ROOT/bench/results"
mkdir -p "$RESULTS/work"
ROUNDS="${ROUNDS:-3}"

# every suite's program is in graft-bench (dev.graft.bench, JMH kernels in dev.graft.bench.kernels)
mvn -q -B -DskipTests -pl graft-bench -am install
mvn -q -B -pl graft-bench dependency:build-classpath -Dmdep.outputFile=target/bench.classpath
export DJL_OFFLINE=true TORCH_CPP_LOG_LEVEL=ERROR
# as ./graft does: MKL's AVX-512 kernels on AMD CPUs too (measured: matmul 133 -> 163 GFLOP/s here)
export MKL_ENABLE_INSTRUCTIONS="${MKL_ENABLE_INSTRUCTIONS:-AVX512}"
BENCH_CP="$ROOT/graft-bench/target/classes:$(cat graft-bench/target/bench.classpath)"

# runs a benchmark, shows its output, and keeps its RESULT line as JSON
result() {
  local out="$1"; shift
  "$@" | tee -a /dev/stderr | sed -n 's/^RESULT //p' | tail -1 > "$out.tmp"
  [[ -s "$out.tmp" ]] || { echo "bench: $* printed no RESULT line" >&2; exit 1; }
  mv "$out.tmp" "$out"
}

if [[ "$SUITE" == all || "$SUITE" == ceiling ]]; then
  echo "== ceiling: float32 matmul through Graft's engine" >&2
  result "$RESULTS/ceiling.json" java -Xmx4g -cp "$BENCH_CP" dev.graft.bench.MatmulCeiling 5
  result "$RESULTS/ceiling-mkl-default.json" env -u MKL_ENABLE_INSTRUCTIONS java -Xmx4g -cp "$BENCH_CP" dev.graft.bench.MatmulCeiling 5
fi
if [[ "$SUITE" == all || "$SUITE" == features ]]; then
  echo "== features: frozen MiniLM, Graft vs ONNX Runtime from Java" >&2
  DATA="$(./graft datasets fetch spam-assassin)"
  result "$RESULTS/features.json" java -Xmx4g -cp "$BENCH_CP" dev.graft.bench.FeatureThroughputBenchmark "$DATA" "${FEATURE_TEXTS:-512}" "$ROUNDS"
  echo "== features again, with MKL's default dispatch (before the launcher set MKL_ENABLE_INSTRUCTIONS)" >&2
  result "$RESULTS/features-mkl-default.json" env -u MKL_ENABLE_INSTRUCTIONS \
    java -Xmx4g -cp "$BENCH_CP" dev.graft.bench.FeatureThroughputBenchmark "$DATA" "${FEATURE_TEXTS:-512}" "$ROUNDS"
fi
if [[ "$SUITE" == all || "$SUITE" == finetune ]]; then
  echo "== finetune: one step, batch 16 x 128 tokens, Graft vs PyTorch eager" >&2
  PY="${TORCH_PYTHON:-/usr/bin/python3}"   # Debian's Python, where python3-torch installs
  # PyTorch with Debian's reference BLAS would be a straw man (measured: one core, minutes per
  # step); OpenBLAS takes over libblas.so.3 once installed.
  missing=()
  "$PY" -c 'import torch' 2>/dev/null || missing+=(python3-torch)
  dpkg -s libopenblas0-pthread >/dev/null 2>&1 || missing+=(libopenblas0-pthread)
  if ((${#missing[@]})); then
    echo "bench: installing ${missing[*]} for the PyTorch peer" >&2
    if [[ $(id -u) -eq 0 ]]; then apt-get install -y -q "${missing[@]}" >&2; else sudo apt-get install -y -q "${missing[@]}" >&2; fi
  fi
  result "$RESULTS/finetune-graft.json" java -Xmx6g -cp "$BENCH_CP" dev.graft.bench.StepBenchmark "$RESULTS/work" "${STEPS:-12}" "$ROUNDS"
  result "$RESULTS/finetune-pytorch.json" "$PY" bench/peers/torch_step.py "$RESULTS/work/minilm.safetensors" "${STEPS:-12}" "$ROUNDS"
fi
if [[ "$SUITE" == all || "$SUITE" == kernels ]]; then
  echo "== kernels: JMH (matmul, one MiniLM block, tokenisation)" >&2
  java -cp "$BENCH_CP" org.openjdk.jmh.Main -rf json -rff "$RESULTS/kernels.json.tmp" 'dev\.graft\.bench\.kernels\..*Kernel' >&2
  mv "$RESULTS/kernels.json.tmp" "$RESULTS/kernels.json"
fi
if [[ "$SUITE" == all || "$SUITE" == endtoend ]]; then
  echo "== endtoend: graft fit (feature extraction) vs ONNX Runtime + liblinear, whole processes" >&2
  DATA="$(./graft datasets fetch spam-assassin)"
  python3 bench/end_to_end.py "$DATA" "$RESULTS/work" "$BENCH_CP" "$ROUNDS" > "$RESULTS/endtoend.json.tmp"
  mv "$RESULTS/endtoend.json.tmp" "$RESULTS/endtoend.json"
fi
if [[ "$SUITE" == scaling ]]; then   # long (about 25 min on 2 cores): not part of "all"
  echo "== scaling: time against texts (features, fine-tuning epoch) and against sequence length" >&2
  DATA="$(./graft datasets fetch spam-assassin)"
  result "$RESULTS/scaling.json" java -Xmx8g -cp "$BENCH_CP" dev.graft.bench.ScalingBenchmark "$DATA" \
    "${SIZES:-1000,2000,4000,8000}" "${LENGTHS:-32,64,128,256,512}" "${EPOCH_SIZES:-1000,2000,4000,8000}"
fi
python3 bench/summarize.py "$RESULTS" > BENCHMARKS.md.tmp && mv BENCHMARKS.md.tmp BENCHMARKS.md
echo "wrote BENCHMARKS.md" >&2
