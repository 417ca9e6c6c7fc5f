#!/usr/bin/env bash
# Throughput of an exported ONNX classifier under ONNX Runtime vs the same bundle under Graft's DJL
# predictor: N SpamAssassin texts (default 1000), `graft predict --input`, alternating engines,
# REPS runs each (default 3); medians of the wall time, model loading included (both ~2-3 s).
# Usage: bench/onnx-export.sh [N] [REPS] [BUNDLE]   (BUNDLE defaults to a feature-extraction fit of spam-50)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
N="${1:-1000}"; REPS="${2:-3}"; OUT="$ROOT/bench/results/onnx-export"; mkdir -p "$OUT"
DATA="$("$ROOT/graft" datasets fetch spam-assassin)"
python3 - "$DATA" "$N" "$OUT" <<'PY'
import json, sys
data, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rows = [json.loads(l) for l in open(data)]
texts = [" ".join(r["text"].split()) for r in rows if r["text"].strip()][:n]
open(f"{out}/texts.txt", "w").write("\n".join(texts) + "\n")
labelled = [{"text": r["text"], "label": r["label"]} for r in rows if r["text"].strip()]
with open(f"{out}/train.jsonl", "w") as f:
    for r in labelled[::12][:500]:
        f.write(json.dumps(r) + "\n")
PY
BUNDLE="${3:-$OUT/model.graft}"
if [[ ! -e "$BUNDLE" ]]; then
  "$ROOT/graft" fit --data "$OUT/train.jsonl" --strategy feature-extraction --out "$BUNDLE" > /dev/null 2>&1
fi
rm -rf "$OUT/onnx"; "$ROOT/graft" export "$BUNDLE" --format onnx --out "$OUT/onnx" > /dev/null 2>&1
for r in $(seq "$REPS"); do
  for engine in djl onnx; do
    model="$BUNDLE"; [[ $engine == onnx ]] && model="$OUT/onnx"
    /usr/bin/time -f "%e" -o "$OUT/$engine.$r.time" "$ROOT/graft" predict --model "$model" --engine "$engine" \
      --input "$OUT/texts.txt" --json > "$OUT/$engine.$r.jsonl" 2> /dev/null
  done
done
python3 - "$OUT" "$REPS" "$N" <<'PY'
import json, statistics, sys
out, reps, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
t = {e: [float(open(f"{out}/{e}.{r}.time").read().split()[-1]) for r in range(1, reps + 1)] for e in ("djl", "onnx")}
a = [json.loads(l) for l in open(f"{out}/djl.1.jsonl")]; b = [json.loads(l) for l in open(f"{out}/onnx.1.jsonl")]
same = sum(x["label"] == y["label"] for x, y in zip(a, b)); diff = max(abs(x["probability"] - y["probability"]) for x, y in zip(a, b))
for e in ("djl", "onnx"):
    m = statistics.median(t[e]); print(f"{e}: median {m:.1f} s (min {min(t[e]):.1f}, max {max(t[e]):.1f}) = {n / m:.1f} texts/s")
print(f"onnx / djl throughput: {statistics.median(t['djl']) / statistics.median(t['onnx']):.2f}x")
print(f"same top label on {same}/{len(a)} texts; max probability difference {diff:.2e}")
PY
