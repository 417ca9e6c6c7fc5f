#!/usr/bin/env bash
# graft serve under load, on loopback. Three measurements:
#   bench/serve-load.sh load [REPS] [SECONDS]  single-text requests (SpamAssassin emails) at 1, 8 and 32 closed-loop
#       clients against a feature-extraction MiniLM bundle, micro-batching on (--max-batch 32) and off (--max-batch 1),
#       and the same bundle exported to ONNX (batching on); configurations alternate, REPS rounds (default 3),
#       SECONDS measured per client count (default 20, after 3 s of warm-up); medians across rounds.
#   bench/serve-load.sh first                  seconds from starting `graft serve --data` (full SpamAssassin corpus,
#       a fresh feature cache) to the first answered prediction, then again with the features cached.
#   bench/serve-load.sh swap [SECONDS]         `graft serve --data` (600 emails) with --then two-stage:2 while 8
#       clients send requests for SECONDS (default 900): the log shows the swap, the load test the versions served.
# Results: bench/results/serve-load/*.json and summary.md.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/bench/results/serve-load"; mkdir -p "$OUT"
MODE="${1:-load}"
PORT=18431
DATA="$("$ROOT/graft" datasets fetch spam-assassin)"
python3 - "$DATA" "$OUT" <<'PY'
import json, sys
data, out = sys.argv[1], sys.argv[2]
rows = [json.loads(l) for l in open(data) if json.loads(l)["text"].strip()]
open(f"{out}/texts.txt", "w").write("\n".join(" ".join(r["text"].split()) for r in rows[:1000]) + "\n")
with open(f"{out}/train.jsonl", "w") as f:
    for r in rows[::10][:600]:
        f.write(json.dumps({"text": r["text"], "label": r["label"]}) + "\n")
PY

wait_ready() {  # $1 = log file; waits for /readyz, fails if the server died
  for _ in $(seq 1 3000); do
    curl -sf "http://127.0.0.1:$PORT/readyz" > /dev/null 2>&1 && return 0
    kill -0 "$SERVER" 2> /dev/null || { echo "server died:"; tail -5 "$1"; exit 1; }
    sleep 0.2
  done
  echo "server not ready"; exit 1
}
stop_server() { kill -TERM "$SERVER" 2> /dev/null || true; wait "$SERVER" 2> /dev/null || true; }
trap stop_server EXIT

case "$MODE" in
load)
  REPS="${2:-3}"; SECONDS_EACH="${3:-20}"
  BUNDLE="$OUT/model.graft"
  [[ -e "$BUNDLE" ]] || "$ROOT/graft" fit --data "$OUT/train.jsonl" --strategy feature-extraction --out "$BUNDLE" > /dev/null 2>&1
  [[ -e "$OUT/onnx" ]] || "$ROOT/graft" export "$BUNDLE" --format onnx --out "$OUT/onnx" > /dev/null 2>&1
  for r in $(seq "$REPS"); do
    for config in batched unbatched onnx; do
      case $config in
        batched) args=(--model "$BUNDLE" --max-batch 32) ;;
        unbatched) args=(--model "$BUNDLE" --max-batch 1) ;;
        onnx) args=(--model "$OUT/onnx" --engine onnx --max-batch 32) ;;
      esac
      "$ROOT/graft" serve "${args[@]}" --port "$PORT" > "$OUT/server-$config.$r.log" 2>&1 & SERVER=$!
      wait_ready "$OUT/server-$config.$r.log"
      echo "round $r, $config"
      "$ROOT/graft" load-test --url "http://127.0.0.1:$PORT" --texts "$OUT/texts.txt" --clients 1,8,32 \
        --seconds "$SECONDS_EACH" --warmup 3 --json "$OUT/load-$config.$r.json"
      curl -s "http://127.0.0.1:$PORT/metrics" > "$OUT/metrics-$config.$r.txt"
      stop_server
    done
  done
  python3 - "$OUT" "$REPS" <<'PY' | tee "$OUT/summary.md"
import json, statistics, sys
out, reps = sys.argv[1], int(sys.argv[2])
configs = {"batched": "DJL, micro-batching (max 32, 2 ms)", "unbatched": "DJL, no batching (--max-batch 1)",
           "onnx": "ONNX Runtime, micro-batching"}
print("| server | clients | req/s | p50 ms | p99 ms | errors |\n|---|---|---|---|---|---|")
med = {}
for c, name in configs.items():
    runs = [json.load(open(f"{out}/load-{c}.{r}.json"))["runs"] for r in range(1, reps + 1)]
    for i, first in enumerate(runs[0]):
        pick = lambda k: [rr[i][k] for rr in runs]
        t, p50, p99 = pick("throughput"), pick("p50_ms"), pick("p99_ms")
        errors = sum(pick("errors"))
        med[(c, first["clients"])] = statistics.median(t)
        print(f"| {name} | {first['clients']} | {statistics.median(t):.1f} ({min(t):.1f}–{max(t):.1f}) | "
              f"{statistics.median(p50):.0f} | {statistics.median(p99):.0f} | {errors} |")
print()
for n in (1, 8, 32):
    print(f"- {n} clients: batching on / off = {med[('batched', n)] / med[('unbatched', n)]:.2f}x; "
          f"ONNX / DJL (batched) = {med[('onnx', n)] / med[('batched', n)]:.2f}x")
PY
  ;;
first)
  for cache in fresh cached; do
    [[ $cache == fresh ]] && rm -rf "$OUT/first-cache"
    start=$(date +%s.%N)
    GRAFT_CACHE="$OUT/first-cache" "$ROOT/graft" serve --data "$DATA" --then none --port "$PORT" \
      --work-dir "$OUT/first-work-$cache" > "$OUT/first-$cache.log" 2>&1 & SERVER=$!
    until curl -sf -X POST "http://127.0.0.1:$PORT/v1/predict" -H 'Content-Type: application/json' \
        -d '{"inputs": "Cheap meds, no prescription needed"}' > "$OUT/first-$cache.answer" 2> /dev/null; do
      kill -0 "$SERVER" 2> /dev/null || { echo "server died:"; tail -5 "$OUT/first-$cache.log"; exit 1; }
      sleep 0.2
    done
    end=$(date +%s.%N)
    printf 'first prediction, %s features: %.1f s after start: %s\n' "$cache" "$(python3 -c "print($end - $start)")" \
      "$(cat "$OUT/first-$cache.answer")" | tee -a "$OUT/summary-first.md"
    stop_server
  done
  ;;
swap)
  SECONDS_LOAD="${2:-900}"
  rm -rf "$OUT/swap-work"
  "$ROOT/graft" serve --data "$OUT/train.jsonl" --then two-stage:2 --port "$PORT" --work-dir "$OUT/swap-work" \
    > "$OUT/swap-server.log" 2>&1 & SERVER=$!
  wait_ready "$OUT/swap-server.log"
  "$ROOT/graft" load-test --url "http://127.0.0.1:$PORT" --texts "$OUT/texts.txt" --clients 8 \
    --seconds "$SECONDS_LOAD" --warmup 0 --json "$OUT/swap-load.json" | tee "$OUT/summary-swap.md"
  grep -E "serving model|swapped model|kept model|failed" "$OUT/swap-server.log" | tee -a "$OUT/summary-swap.md"
  ;;
*) echo "usage: bench/serve-load.sh load [REPS] [SECONDS] | first | swap [SECONDS]" >&2; exit 2 ;;
esac
