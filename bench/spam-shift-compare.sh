#!/usr/bin/env bash
# Strategies on the SpamAssassin mail-source shift (train easy-ham-1 + spam-1, test hard-ham-1 +
# spam-2), max length 128, the same budget (3 epochs per backbone stage), one after another.
# Wall time and peak RSS per strategy from /usr/bin/time; metrics from graft fit.
# Usage: bench/spam-shift-compare.sh [strategy ...]   (default: feature-extraction partial:2 two-stage full)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="$ROOT/bench/results/spam-shift"
"$ROOT/bench/spam-shift.sh" "$DIR"
STRATEGIES=("$@")
[[ ${#STRATEGIES[@]} -eq 0 ]] && STRATEGIES=(feature-extraction partial:2 two-stage full)
for s in "${STRATEGIES[@]}"; do
  name="${s/:/-}"
  echo "== $s"
  /usr/bin/time -f "wall %e s, peak RSS %M KB" -o "$DIR/$name.time" \
    "$ROOT/graft" fit --data "$DIR/train.jsonl" --test "$DIR/test.jsonl" --strategy "$s" --max-length 128 \
      --epochs 3 --seed 42 --out "$DIR/$name.graft" --metrics-json "$DIR/$name.metrics.json" \
      > "$DIR/$name.out" 2> "$DIR/$name.err"
  grep -E "^(data|features|stage|.*best epoch)" "$DIR/$name.out" || true
  python3 -c "import json,sys; m=json.load(open(sys.argv[1])); print(f\"test accuracy {m['accuracy']:.4f}, macro-F1 {m['macro_f1']:.4f}\")" "$DIR/$name.metrics.json"
  cat "$DIR/$name.time"
done
