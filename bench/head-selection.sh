#!/usr/bin/env bash
# Graft's default feature extraction against scikit-learn's LogisticRegressionCV on the same frozen
# features, on four public sets in one run: SpamAssassin (2 classes), State of the Union passages
# (8 parties), Debian fortunes (categories with at least 50 fortunes) with MiniLM, and Fashion-MNIST
# with MobileNetV2 at 96 px. Each text set is split once (bench/split_text.py: stratified, seed 7,
# at most MAX rows, 80 % train / 20 % test); Fashion-MNIST takes 600 train / 200 test images per class.
#   Graft:  graft fit --data train --test test --strategy feature-extraction (every default); where
#           the default weighs classes (imbalance 3x or more), also with --class-weights none
#   peers:  LogisticRegressionCV(Cs=10, 5 stratified folds) on the raw and the standardised features,
#           trained on every training row; where Graft weighs classes, also with class_weight=balanced
#           and scoring=f1_macro, the objective Graft's default then has (Debian's python3-sklearn,
#           installed when missing)
# Test accuracy and macro-F1 with 95 % bootstrap intervals, the paired difference, Graft's test ECE
# before and after its temperature, and Graft's selection (CV + refit) time against its feature time.
# Each set writes bench/results/head-selection/SET/result.json; the table (summary.md and
# bench/results/head-selection.json) covers every set with a result, so one set can be run again alone.
# Usage: bench/head-selection.sh [SETS=spam-assassin,sotu,fortunes,fashion-mnist] [MAX=7500]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
SETS="${1:-spam-assassin,sotu,fortunes,fashion-mnist}"; MAX="${2:-7500}"
OUT="$ROOT/bench/results/head-selection"; mkdir -p "$OUT"
PY=/usr/bin/python3   # Debian's Python, where python3-sklearn installs
if ! "$PY" -c 'import sklearn' 2>/dev/null; then
  echo "bench: installing python3-sklearn for the LogisticRegressionCV peer" >&2
  if [[ $(id -u) -eq 0 ]]; then apt-get install -y -q python3-sklearn >&2; else sudo apt-get install -y -q python3-sklearn >&2; fi
fi
source "$ROOT/bench/snapshot.sh"
snapshot "$OUT/bin"
CP="$BENCH_CP"
# a cache of its own with no features in it, so that the feature time is a real extraction; models
# and datasets are shared with the user's cache
REAL_CACHE="${GRAFT_CACHE:-$HOME/.cache/graft}"; mkdir -p "$REAL_CACHE"/{models,datasets,downloads}
export GRAFT_CACHE="$OUT/cache"; rm -rf "$GRAFT_CACHE"; mkdir -p "$GRAFT_CACHE"
for entry in "$REAL_CACHE"/*; do [[ "$(basename "$entry")" == features ]] || ln -s "$entry" "$GRAFT_CACHE/"; done

split_images() { # fashion train jsonl, work dir
  "$PY" - "$1" "$(dirname "$1")/test.jsonl" "$2" <<'PY'
import json, sys
def take(src, per, dst):
    seen = {}
    with open(dst, "w") as f:
        for line in open(src):
            label = json.loads(line)["label"]
            if seen.get(label, 0) < per:
                seen[label] = seen.get(label, 0) + 1
                f.write(line)
take(sys.argv[1], 600, sys.argv[3] + "/train.jsonl")
take(sys.argv[2], 200, sys.argv[3] + "/test.jsonl")
PY
}

for set in ${SETS//,/ }; do
  work="$OUT/$set"; mkdir -p "$work"
  source="$(graft datasets fetch "$set")"
  backbone=minilm
  if [[ "$set" == fashion-mnist ]]; then
    backbone=mobilenetv2:96
    graft models fetch mobilenetv2 >/dev/null
    split_images "$source" "$work"
  else
    "$PY" bench/split_text.py "$source" "$work" "$MAX"
  fi
  echo "== $set: graft fit (feature extraction, every default) on $backbone" >&2
  rm -rf "$work/model.graft"
  graft fit --data "$work/train.jsonl" --test "$work/test.jsonl" --backbone "$backbone" \
    --strategy feature-extraction --out "$work/model.graft" --metrics-json "$work/graft-metrics.json" > "$work/fit.log" 2>&1 \
    || { tail -5 "$work/fit.log" >&2; exit 1; }
  grep -E "^(head selection|  |→|head:|features:|class weights)" "$work/fit.log" >&2 || true
  java -Xmx6g -cp "$CP" dev.graft.bench.FeatureDump "$backbone" "$work/train.jsonl" "$work/train" >&2
  java -Xmx6g -cp "$CP" dev.graft.bench.FeatureDump "$backbone" "$work/test.jsonl" "$work/test" "$work/model.graft" >&2
  balanced=""
  rm -f "$work/test-unweighted.logits"
  if grep -q "^class weights" "$work/fit.log"; then
    balanced=--balanced
    echo "== $set: graft fit --class-weights none" >&2
    rm -rf "$work/unweighted.graft"
    graft fit --data "$work/train.jsonl" --test "$work/test.jsonl" --backbone "$backbone" --class-weights none \
      --strategy feature-extraction --out "$work/unweighted.graft" > "$work/fit-unweighted.log" 2>&1 \
      || { tail -5 "$work/fit-unweighted.log" >&2; exit 1; }
    java -Xmx6g -cp "$CP" dev.graft.bench.FeatureDump "$backbone" "$work/test.jsonl" "$work/test-unweighted" "$work/unweighted.graft" >&2
  fi
  "$PY" bench/peers/logistic_cv.py "$work" "$set" $balanced | tee "$work/peer.log" >&2
  features=$(sed -n 's/^features: .*(\([0-9.]*\) s)$/\1/p' "$work/fit.log" | tail -1)
  selection=$(sed -n 's/^head: .*(\([0-9.]*\) s)$/\1/p' "$work/fit.log" | tail -1)
  line=$(sed -n 's/^RESULT //p' "$work/peer.log")
  "$PY" -c 'import json,sys; r=json.loads(sys.argv[1]); r["backbone"]=sys.argv[2]; r["feature_seconds"]=float(sys.argv[3]); r["selection_seconds"]=float(sys.argv[4]); r["graft_chosen"]=sys.argv[5]; print(json.dumps(r))' \
    "$line" "$backbone" "$features" "$selection" "$(sed -n 's/^head: \(.*\) refitted.*/\1/p' "$work/fit.log")" > "$work/result.json.tmp"
  mv "$work/result.json.tmp" "$work/result.json"
done

# the table covers every set with a result, so that a set run again alone updates its rows only
for set in spam-assassin sotu fortunes fashion-mnist; do
  if [[ -f "$OUT/$set/result.json" ]]; then cat "$OUT/$set/result.json"; fi
done | "$PY" bench/head_selection_table.py "$ROOT/bench/results/head-selection.json" | tee "$OUT/summary.md"
