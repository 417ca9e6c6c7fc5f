#!/usr/bin/env bash
# The int8 ONNX export against the bundle it came from: the SpamAssassin feature-extraction bundle
# that bench/int8-accuracy.sh fits in fp32, exported with --precision fp32 and int8; the same test
# texts (newlines folded to spaces; any that fold to nothing left out) scored by the bundle and by
# each export on ONNX Runtime.
# Prints sizes, test accuracy, the largest probability difference from the bundle, and wall times.
# Usage: bench/int8-export.sh   (after bench/int8-accuracy.sh spam-assassin)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OUT="$ROOT/bench/results/int8-accuracy"; work="$OUT/spam-assassin"
[[ -d "$work/fp32.graft" || -f "$work/fp32.graft" ]] || { echo "run bench/int8-accuracy.sh spam-assassin first" >&2; exit 2; }
source "$ROOT/bench/snapshot.sh"
snapshot "$OUT/bin"
export GRAFT_CACHE="$OUT/cache"
# texts that fold to nothing are left out of both files (graft predict skips blank lines)
python3 -c 'import json,sys
with open(sys.argv[2], "w") as texts, open(sys.argv[3], "w") as labels:
    for line in open(sys.argv[1]):
        row = json.loads(line)
        text = " ".join(row["text"].split())
        if text:
            print(text, file=texts)
            print(row["label"], file=labels)' "$work/test.jsonl" "$work/test-texts.txt" "$work/test-labels.txt"
rm -rf "$work/onnx-fp32" "$work/onnx-int8"
graft export "$work/fp32.graft" --format onnx --out "$work/onnx-fp32"
graft export "$work/fp32.graft" --format onnx --precision int8 --out "$work/onnx-int8"
for model in fp32.graft onnx-fp32 onnx-int8; do
  start=$(date +%s.%N)
  graft predict --model "$work/$model" --input "$work/test-texts.txt" --json --top-k 2 > "$work/predict-$model.jsonl"
  echo "$model $(echo "$(date +%s.%N) - $start" | bc)" >> "$work/predict-times.txt.tmp"
done
mv "$work/predict-times.txt.tmp" "$work/predict-times.txt"
python3 - "$work" <<'PY'
import json, os, sys
work = sys.argv[1]
truth = [l.rstrip("\n") for l in open(f"{work}/test-labels.txt")]
times = dict(line.split() for line in open(f"{work}/predict-times.txt"))
def load(m):
    rows = [json.loads(l) for l in open(f"{work}/predict-{m}.jsonl")]
    return [r["label"] for r in rows], [{t["label"]: t["probability"] for t in r["top"]} for r in rows]
base_labels, base_p = load("fp32.graft")
for m in ("fp32.graft", "onnx-fp32", "onnx-int8"):
    labels, p = load(m)
    acc = sum(a == b for a, b in zip(labels, truth)) / len(truth)
    diff = max(abs(p[i][k] - base_p[i][k]) for i in range(len(p)) for k in p[i])
    agree = sum(a == b for a, b in zip(labels, base_labels)) / len(truth)
    size = os.path.getsize(f"{work}/{m}/model.onnx") / 1e6 if m.startswith("onnx") else float("nan")
    print(f"{m}: model.onnx {size:.1f} MB, test accuracy {acc:.4f} ({len(truth)} texts), same label as the bundle {agree:.4f}, "
          f"max |Δ probability| vs the bundle {diff:.4f}, graft predict wall {float(times[m]):.1f} s")
PY
