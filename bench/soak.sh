#!/usr/bin/env bash
# The soak: for MINUTES (default 60), in parallel,
#   - dev.graft.bench.Soak fits every strategy (text: feature-extraction, partial:1, two-stage, full,
#     gradual, lora, prefix on MiniLM; images: feature-extraction, full, two-stage on smallcnn) again
#     and again in one JVM, one epoch each on tiny generated data, loading every bundle it writes;
#   - `graft serve --data` (600 SpamAssassin emails, --then two-stage:1) improves in the background
#     while 4 clients send requests, restarted with a new work directory whenever it has swapped,
#     so that background fine-tunes run repeatedly under load.
# Reports fits per JVM, rounds, hours, requests served, errors and crashes (a JVM that died, or an
# hs_err file) to bench/results/soak/summary.md.
# Usage: bench/soak.sh [MINUTES=60]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MINUTES="${1:-60}"
OUT="$ROOT/bench/results/soak"; rm -rf "$OUT/work"; mkdir -p "$OUT/work"
source "$ROOT/bench/snapshot.sh"
snapshot "$OUT/bin"
PORT=18441
DATA="$(graft datasets fetch spam-assassin)"
python3 - "$DATA" "$OUT" <<'PY'
import json, sys
data, out = sys.argv[1], sys.argv[2]
rows = [json.loads(l) for l in open(data) if json.loads(l)["text"].strip()]
open(f"{out}/texts.txt", "w").write("\n".join(" ".join(r["text"].split()) for r in rows[:500]) + "\n")
with open(f"{out}/train.jsonl", "w") as f:
    for r in rows[::10][:600]:
        f.write(json.dumps({"text": r["text"], "label": r["label"]}) + "\n")
PY
cd "$OUT/work"   # hs_err files land here

java -Xmx4g -Dai.djl.offline=true -cp "$BENCH_CP" dev.graft.bench.Soak "$MINUTES" "$OUT/work/fits" > "$OUT/fits.log" 2>&1 &
SOAK=$!

end=$(( $(date +%s) + MINUTES * 60 ))
servers=0; swaps=0; server_crashes=0; requests=0; failed=0
while (( $(date +%s) < end )); do
  servers=$((servers + 1)); dir="$OUT/work/serve-$servers"
  # java itself in the background (not the graft function's subshell), so that $! is the server
  java ${GRAFT_JAVA_OPTS:--Xmx4g} -Dai.djl.offline=true -cp "$GRAFT_BIN/cli/*" dev.graft.cli.GraftCommand \
    serve --data "$OUT/train.jsonl" --then two-stage:1 --port "$PORT" --work-dir "$dir" > "$dir.log" 2>&1 & SERVER=$!
  until curl -sf "http://127.0.0.1:$PORT/readyz" > /dev/null 2>&1; do
    kill -0 "$SERVER" 2> /dev/null || break; sleep 1
  done
  left=$(( end - $(date +%s) )); (( left > 0 )) || left=1
  while kill -0 "$SERVER" 2> /dev/null && ! grep -q "swapped model\|kept model\|failed" "$dir.log" && (( $(date +%s) < end )); do
    rm -f "$dir.load.json"
    graft load-test --url "http://127.0.0.1:$PORT" --texts "$OUT/texts.txt" --clients 4 --seconds 30 --warmup 0 \
      --json "$dir.load.json" > /dev/null 2>&1 || true
    [[ -f "$dir.load.json" ]] && python3 - "$dir.load.json" >> "$OUT/work/load.tsv" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
rows = r if isinstance(r, list) else r.get("runs", [r])
print(sum(x.get("requests", 0) for x in rows), sum(x.get("errors", 0) for x in rows), sep="\t")
PY
  done
  grep -q "swapped model\|kept model" "$dir.log" && swaps=$((swaps + 1))
  if kill -0 "$SERVER" 2> /dev/null; then kill -TERM "$SERVER"; wait "$SERVER" || true
  else wait "$SERVER" || server_crashes=$((server_crashes + 1)); fi
done
soak_status=0; wait "$SOAK" || soak_status=$?
read -r requests failed < <(awk -F'\t' '{r+=$1; e+=$2} END {print r+0, e+0}' "$OUT/work/load.tsv" 2>/dev/null || echo "0 0")
hs_err=$(find "$OUT/work" -name 'hs_err_pid*.log' | wc -l)
{
  echo "# soak, $(date -u +%FT%TZ), $MINUTES min"
  tail -n +1 "$OUT/fits.log" | grep -E "^soak: [0-9]+ rounds|^  " || true
  echo "fit JVM exit status: $soak_status"
  echo "graft serve --data: $servers servers, $swaps background fine-tunes ended (swapped or kept), $server_crashes died"
  echo "requests answered: $requests, failed: $failed"
  echo "hs_err files (native crashes): $hs_err"
} | tee "$OUT/summary.md"
