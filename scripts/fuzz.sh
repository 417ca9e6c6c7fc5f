#!/usr/bin/env bash
# Fuzz every reader of untrusted files with Jazzer, one target after another, for the
# maxDuration of its @FuzzTest (60 s each). Findings are written next to the seeds in
# graft-core/src/test/resources/dev/graft/fuzz/ReaderFuzzTestInputs/<target>/ and then fail the
# normal test run until fixed. ROUNDS=N repeats each target N times; the corpus it grows
# (.cifuzz-corpus/) carries over from round to round, so N rounds fuzz like one run N times longer.
# Usage: [ROUNDS=N] scripts/fuzz.sh [target ...]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
targets=("$@"); ((${#targets[@]})) || targets=(safetensors onnxInitializers onnxModel onnxGraph tfjsModel tfjsGraph bundleManifest bundleZip csv jsonl)
mvn -q -o -B install -DskipTests > /dev/null
for t in "${targets[@]}"; do
  for ((round = 1; round <= ${ROUNDS:-1}; round++)); do
    echo "== $t round $round $(date -u +%T)"
    JAZZER_FUZZ=1 mvn -o -B test -pl graft-core -Dtest="ReaderFuzzTest#$t" 2>&1 \
      | grep -E "^#[0-9]+.*(DONE|pulse)|Done [0-9]+ runs|== Java Exception|FuzzTest|Tests run:|crash-" | tail -4
  done
done
