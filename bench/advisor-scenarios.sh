#!/usr/bin/env bash
# Scenarios for checking the advisor against what actually happens, from data Graft can fetch:
#   spam-50    SpamAssassin, 50 training + 50 validation emails (stratified), the fixed 2,000-email test set
#   spam-2000  SpamAssassin, 2,000 training + 500 validation emails, the same test set
#   shift      train easy-ham-1 + spam-1 (10 % held out for validation), test hard-ham-1 + spam-2
# Usage:
#   bench/advisor-scenarios.sh data                 # write the scenario files only
#   bench/advisor-scenarios.sh fit [scenario ...]   # every strategy on each scenario (seeds 42-44 on spam-50, 42 elsewhere)
#   bench/advisor-scenarios.sh advise [scenario ...]
#   bench/advisor-scenarios.sh table                # the Markdown table of advice vs measured test metrics
# Results go to bench/results/advisor/<scenario>/; fits append to fits.jsonl, advice to <scenario>/advice.json.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/bench/results/advisor"
STRATEGIES=(feature-extraction two-stage:2 two-stage full lora)
ACTION="${1:-table}"; shift || true
SCENARIOS=("$@")
[[ ${#SCENARIOS[@]} -eq 0 ]] && SCENARIOS=(spam-50 spam-2000 shift)

prepare() {
  mkdir -p "$OUT"
  local data; data="$("$ROOT/graft" datasets fetch spam-assassin)"
  python3 - "$data" "$OUT" <<'PY'
import json, os, random, sys
data, out = sys.argv[1], sys.argv[2]
rows = [json.loads(l) for l in open(data)]
rows = [{"text": r["text"], "label": r["label"], "group": r["group"]} for r in rows if r["text"].strip()]
def write(path, items):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path + ".tmp", "w") as f:
        for r in items:
            f.write(json.dumps(r) + "\n")
    os.replace(path + ".tmp", path)
def stratified(items, n, rng):
    by = {}
    for r in items:
        by.setdefault(r["label"], []).append(r)
    total = len(items)
    picked = []
    for label, group in sorted(by.items()):
        k = max(1, round(n * len(group) / total))
        picked += group[:k]
    rng.shuffle(picked)
    return picked[:n]
rng = random.Random(2026)
rng.shuffle(rows)
test = stratified(rows, 2000, rng)
ids = set(map(id, test))
rest = [r for r in rows if id(r) not in ids]
for name, n_train, n_val in (("spam-50", 50, 50), ("spam-2000", 2000, 500)):
    train = stratified(rest, n_train, rng)
    taken = set(map(id, train))
    val = stratified([r for r in rest if id(r) not in taken], n_val, rng)
    write(f"{out}/{name}/train.jsonl", train)
    write(f"{out}/{name}/validation.jsonl", val)
    write(f"{out}/{name}/test.jsonl", test)
    print(f"{name}: train {len(train)}, validation {len(val)}, test {len(test)}", file=sys.stderr)
PY
  "$ROOT/bench/spam-shift.sh" "$OUT/shift" >&2
}

fit_args() {  # scenario -> the data options of graft fit / advise
  case "$1" in
    shift) echo "--data $OUT/shift/train.jsonl --test $OUT/shift/test.jsonl" ;;
    *) echo "--data $OUT/$1/train.jsonl --validation $OUT/$1/validation.jsonl --test $OUT/$1/test.jsonl" ;;
  esac
}

case "$ACTION" in
  data) prepare ;;
  fit)
    prepare
    for sc in "${SCENARIOS[@]}"; do
      seeds=(42); [[ "$sc" == spam-50 ]] && seeds=(42 43 44)
      for s in "${STRATEGIES[@]}"; do
        for seed in "${seeds[@]}"; do
          name="${s/:/-}-$seed"; dir="$OUT/$sc"
          echo "== $sc $s seed $seed" >&2
          if grep -qs "\"scenario\": \"$sc\", \"strategy\": \"$s\", \"seed\": $seed," "$OUT/fits.jsonl"; then
            echo "   (done before)" >&2; continue
          fi
          # shellcheck disable=SC2046
          if ! /usr/bin/time -f "%e %M" -o "$dir/$name.time" "$ROOT/graft" fit $(fit_args "$sc") --strategy "$s" \
            --seed "$seed" --out "$dir/$name.graft" --metrics-json "$dir/$name.metrics.json" > "$dir/$name.out" 2> "$dir/$name.err"; then
            echo "{\"scenario\": \"$sc\", \"strategy\": \"$s\", \"seed\": $seed, \"error\": \"$(grep '^graft:' "$dir/$name.err" | head -1 | tr -d '"')\"}" >> "$OUT/fits.jsonl"
            tail -1 "$OUT/fits.jsonl" >&2; continue
          fi
          python3 - "$sc" "$s" "$seed" "$dir/$name.metrics.json" "$dir/$name.time" >> "$OUT/fits.jsonl" <<'PY'
import json, sys
sc, s, seed, metrics, timing = sys.argv[1:]
m = json.load(open(metrics)); wall, rss = open(timing).read().split()[-2:]
print(json.dumps({"scenario": sc, "strategy": s, "seed": int(seed), "accuracy": m["accuracy"],
                  "macro_f1": m["macro_f1"], "wall_s": float(wall), "peak_rss_gb": int(rss) / 1e6}))
PY
          tail -1 "$OUT/fits.jsonl" >&2
          rm -rf "$dir/$name.graft"
        done
      done
    done ;;
  advise)
    prepare
    for sc in "${SCENARIOS[@]}"; do
      echo "== advise $sc" >&2
      # shellcheck disable=SC2046
      "$ROOT/graft" advise $(fit_args "$sc") --json "$OUT/$sc/advice.json" | tee "$OUT/$sc/advice.txt"
    done ;;
  table)
    python3 - "$OUT" "${STRATEGIES[@]}" <<'PY'
import json, os, statistics, sys
out, strategies = sys.argv[1], sys.argv[2:]
fits = [json.loads(l) for l in open(f"{out}/fits.jsonl")] if os.path.exists(f"{out}/fits.jsonl") else []
print("| scenario | advice | " + " | ".join(strategies) + " |")
print("|---|---|" + "---|" * len(strategies))
for sc in ("spam-50", "spam-2000", "shift"):
    adv = f"{out}/{sc}/advice.json"
    advice = json.load(open(adv))["recommendation"]["strategy"] if os.path.exists(adv) else "?"
    cells = []
    for s in strategies:
        runs = [f for f in fits if f["scenario"] == sc and f["strategy"] == s and "error" not in f]
        if not runs:
            cells.append("–"); continue
        f1 = [r["macro_f1"] for r in runs]
        cell = f"{statistics.mean(f1):.4f}" + (f" ±{statistics.stdev(f1):.4f}" if len(f1) > 1 else "")
        cell += f" ({statistics.median(r['wall_s'] for r in runs):.0f} s)"
        cells.append(f"**{cell}**" if s == advice else cell)
    print(f"| {sc} | {advice} | " + " | ".join(cells) + " |")
PY
    ;;
  *) echo "usage: bench/advisor-scenarios.sh data|fit|advise|table [scenario ...]" >&2; exit 2 ;;
esac
