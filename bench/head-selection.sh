#!/usr/bin/env bash
# Graft's default feature extraction against scikit-learn's LogisticRegressionCV on the same frozen
# features, on four public sets in one run: SpamAssassin (2 classes), State of the Union passages
# (8 parties), Debian fortunes (categories with at least 50 fortunes) with MiniLM, and Fashion-MNIST
# with MobileNetV2 at 96 px. Each text set is split once, stratified (seed 7), at most MAX rows,
# 80 % train / 20 % test; Fashion-MNIST takes 600 train / 200 test images per class.
#   Graft:  graft fit --data train --test test --strategy feature-extraction (every default)
#   peers:  LogisticRegressionCV(Cs=10, 5 stratified folds) on the raw and the standardised features,
#           trained on every training row (Debian's python3-sklearn, installed when missing)
# Test accuracy and macro-F1 with 95 % bootstrap intervals, the paired difference, Graft's test ECE
# before and after its temperature, and Graft's selection (CV + refit) time against its feature time.
# Writes bench/results/head-selection.json and prints a table.
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
mvn -q -B -o -DskipTests -pl graft-bench -am install 2>/dev/null || mvn -q -B -DskipTests -pl graft-bench -am install
mvn -q -B -pl graft-bench dependency:build-classpath -Dmdep.outputFile=target/bench.classpath
CP="$ROOT/graft-bench/target/classes:$(cat graft-bench/target/bench.classpath)"
export DJL_OFFLINE=true TORCH_CPP_LOG_LEVEL=ERROR MKL_ENABLE_INSTRUCTIONS="${MKL_ENABLE_INSTRUCTIONS:-AVX512}"

split_text() { # source jsonl, work dir
  "$PY" - "$1" "$2" "$MAX" <<'PY'
import json, random, sys
from collections import defaultdict
src, work, cap = sys.argv[1], sys.argv[2], int(sys.argv[3])
by = defaultdict(list)
for line in open(src):
    row = json.loads(line)
    by[row["label"]].append(line)
by = {k: v for k, v in by.items() if len(v) >= 50}   # a class needs enough rows to be learnt and tested
total = sum(len(v) for v in by.values())
rng = random.Random(7)
train, test = [], []
for label in sorted(by):
    rows = by[label]
    rng.shuffle(rows)
    keep = rows[:max(10, round(len(rows) * min(1.0, cap / total)))]
    cut = round(len(keep) * 0.2)
    test += keep[:cut]
    train += keep[cut:]
rng.shuffle(train); rng.shuffle(test)
open(work + "/train.jsonl", "w").writelines(train)
open(work + "/test.jsonl", "w").writelines(test)
print(f"{len(train)} train / {len(test)} test rows, {len(by)} classes", file=sys.stderr)
PY
}

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

results=()
for set in ${SETS//,/ }; do
  work="$OUT/$set"; mkdir -p "$work"
  source="$("$ROOT/graft" datasets fetch "$set")"
  backbone=minilm
  if [[ "$set" == fashion-mnist ]]; then
    backbone=mobilenetv2:96
    "$ROOT/graft" models fetch mobilenetv2 >/dev/null
    split_images "$source" "$work"
  else
    split_text "$source" "$work"
  fi
  echo "== $set: graft fit (feature extraction, every default) on $backbone" >&2
  rm -rf "$work/model.graft"
  "$ROOT/graft" fit --data "$work/train.jsonl" --test "$work/test.jsonl" --backbone "$backbone" \
    --strategy feature-extraction --out "$work/model.graft" --metrics-json "$work/graft-metrics.json" > "$work/fit.log" 2>&1 \
    || { tail -5 "$work/fit.log" >&2; exit 1; }
  grep -E "^(head selection|  |→|head:|features:)" "$work/fit.log" >&2 || true
  java -Xmx6g -cp "$CP" dev.graft.bench.FeatureDump "$backbone" "$work/train.jsonl" "$work/train" >&2
  java -Xmx6g -cp "$CP" dev.graft.bench.FeatureDump "$backbone" "$work/test.jsonl" "$work/test" "$work/model.graft" >&2
  "$PY" bench/peers/logistic_cv.py "$work" "$set" | tee "$work/peer.log" >&2
  features=$(sed -n 's/^features: .*(\([0-9.]*\) s)$/\1/p' "$work/fit.log" | tail -1)
  selection=$(sed -n 's/^head: .*(\([0-9.]*\) s)$/\1/p' "$work/fit.log" | tail -1)
  line=$(sed -n 's/^RESULT //p' "$work/peer.log")
  results+=("$("$PY" -c 'import json,sys; r=json.loads(sys.argv[1]); r["backbone"]=sys.argv[2]; r["feature_seconds"]=float(sys.argv[3]); r["selection_seconds"]=float(sys.argv[4]); r["graft_chosen"]=sys.argv[5]; print(json.dumps(r))' \
    "$line" "$backbone" "$features" "$selection" "$(sed -n 's/^head: \(.*\) refitted.*/\1/p' "$work/fit.log")")")
done

printf '%s\n' "${results[@]}" | "$PY" -c '
import json, sys, datetime
rows = [json.loads(l) for l in sys.stdin if l.strip()]
json.dump({"written": datetime.datetime.utcnow().strftime("%Y-%m-%dT%H:%M:%SZ"), "sets": rows},
          open(sys.argv[1], "w"), indent=1)
f = lambda s, k: "%.4f [%.4f, %.4f]" % (s[k], *s[k + "_ci95"])
print("| set | train / test, classes | Graft head | Graft acc | Graft macro-F1 | LR-CV acc | LR-CV macro-F1 | LR-CV std. acc | LR-CV std. macro-F1 | Graft − best LR macro-F1 (95 %) | test ECE before → after | selection s / features s |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|")
for r in rows:
    g, a, b = r["graft"], r["sklearn_lr_cv"], r["sklearn_lr_cv_standardised"]
    best = "sklearn_lr_cv" if a["macro_f1"] >= b["macro_f1"] else "sklearn_lr_cv_standardised"
    d = g["minus_" + best]["macro_f1"]
    print(f"| {r[\"name\"]} ({r[\"backbone\"]}) | {r[\"train\"]:,} / {r[\"test\"]:,}, {r[\"classes\"]} | {r[\"graft_chosen\"]} | {f(g,\"accuracy\")} | {f(g,\"macro_f1\")} | {f(a,\"accuracy\")} | {f(a,\"macro_f1\")} | {f(b,\"accuracy\")} | {f(b,\"macro_f1\")} | [{d[0]:+.4f}, {d[1]:+.4f}] | {g[\"test_ece_before\"]:.4f} → {g[\"test_ece_after\"]:.4f} | {r[\"selection_seconds\"]:.1f} / {r[\"feature_seconds\"]:.1f} |")
' "$ROOT/bench/results/head-selection.json" | tee "$OUT/summary.md"
