#!/usr/bin/env bash
# graft compare on SpamAssassin: N emails (default 1200, every k-th of the corpus so that both
# classes and all five groups are represented), split 80/10/10 by compare itself, the four default
# strategies × 3 seeds, epoch budget 3; writes the table, JSON and the HTML report.
# Usage: bench/compare-spam.sh [N] [STRATEGIES] [SEEDS]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
N="${1:-1200}"; STRATEGIES="${2:-feature-extraction,partial:2,full,lora}"; SEEDS="${3:-3}"
OUT="$ROOT/bench/results/compare-spam"; mkdir -p "$OUT"
DATA="$("$ROOT/graft" datasets fetch spam-assassin)"
python3 - "$DATA" "$N" "$OUT/spam-$N.jsonl" <<'PY'
import json, sys
data, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rows = [json.loads(l) for l in open(data)]
rows = [r for r in rows if r["text"].strip()]
step = max(1, len(rows) // n)
with open(out, "w") as f:
    for r in rows[::step][:n]:
        f.write(json.dumps({"text": r["text"], "label": r["label"]}) + "\n")
PY
/usr/bin/time -v "$ROOT/graft" compare --data "$OUT/spam-$N.jsonl" --strategies "$STRATEGIES" --seeds "$SEEDS" \
  --report "$OUT/report.html" --json "$OUT/compare.json" 2> "$OUT/time.txt" | tee "$OUT/compare.out" \
  | grep -E "^compare:|^  |^Pareto|^best run|^wall|^report|^json"
grep -E "Elapsed|Maximum resident" "$OUT/time.txt"
