#!/usr/bin/env bash
# Fashion-MNIST transfer learning: a stratified subsample (TRAIN per class from train.jsonl, of which
# graft fit holds out 10 % for validation; TEST per class from test.jsonl), then one run per
# configuration with wall time and peak RSS (/usr/bin/time -v):
#   mobilenetv2:SIZE feature-extraction, partial:2 and full; smallcnn from scratch; smallcnn
#   pretrained on MNIST (graft pretrain, timed on its own) and transferred (full fine-tuning).
# Usage: bench/vision-fashion.sh [TRAIN_PER_CLASS=600] [TEST_PER_CLASS=200] [SIZE=96] [EPOCHS=3] [RUNS]
# RUNS: comma-separated subset of fe,partial,full,scratch,transfer,transfer-recalibrate,transfer-train (default all).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PER="${1:-600}"; TEST_PER="${2:-200}"; SIZE="${3:-96}"; EPOCHS="${4:-3}"; RUNS="${5:-fe,partial,full,scratch,transfer,transfer-recalibrate,transfer-train}"
OUT="$ROOT/bench/results/vision-fashion"; mkdir -p "$OUT"
TRAIN_ALL="$("$ROOT/graft" datasets fetch fashion-mnist)"
MNIST="$("$ROOT/graft" datasets fetch mnist)"
if [[ ",$RUNS," =~ ,(fe|partial|full), ]]; then "$ROOT/graft" models fetch mobilenetv2 >/dev/null; fi
python3 - "$TRAIN_ALL" "$PER" "$OUT/train-$PER.jsonl" "$(dirname "$TRAIN_ALL")/test.jsonl" "$TEST_PER" "$OUT/test-$TEST_PER.jsonl" <<'PY'
import json, sys
def take(src, per, dst):
    seen = {}
    with open(dst, "w") as f:
        for line in open(src):
            r = json.loads(line)
            if seen.get(r["label"], 0) < per:
                seen[r["label"]] = seen.get(r["label"], 0) + 1
                f.write(line)
take(sys.argv[1], int(sys.argv[2]), sys.argv[3])
take(sys.argv[4], int(sys.argv[5]), sys.argv[6])
PY
DATA=(--data "$OUT/train-$PER.jsonl" --test "$OUT/test-$TEST_PER.jsonl")
run() { # name, then graft arguments
  local name="$1"; shift
  [[ "$name" == pretrain || ",$RUNS," == *",$name,"* ]] || return 0
  rm -rf "$OUT/$name.graft" "$OUT/$name.graft.checkpoint"
  /usr/bin/time -v "$ROOT/graft" "$@" 2> "$OUT/$name.time" > "$OUT/$name.out" || { tail -3 "$OUT/$name.time"; return 1; }
  local acc wall rss
  acc=$(python3 -c "import json;m=json.load(open('$OUT/$name.json'));print('%.4f %.4f'%(m['accuracy'],m['macro_f1']))" 2>/dev/null || echo "- -")
  wall=$(grep "Elapsed (wall" "$OUT/$name.time" | awk '{print $NF}')
  rss=$(grep "Maximum resident" "$OUT/$name.time" | awk '{printf "%.2f GB", $NF/1048576}')
  printf "%-10s test accuracy / macro-F1 %s   wall %s   peak RSS %s\n" "$name" "$acc" "$wall" "$rss" | tee -a "$OUT/summary.txt"
}
echo "# $(date -u +%FT%TZ) train $PER/class (10 % of it validation), test $TEST_PER/class, mobilenetv2 at $SIZE px, $EPOCHS epochs" | tee -a "$OUT/summary.txt"
run fe fit "${DATA[@]}" --backbone "mobilenetv2:$SIZE" --strategy feature-extraction --out "$OUT/fe.graft" --metrics-json "$OUT/fe.json"
run partial fit "${DATA[@]}" --backbone "mobilenetv2:$SIZE" --strategy partial:2 --epochs "$EPOCHS" --out "$OUT/partial.graft" --metrics-json "$OUT/partial.json"
run full fit "${DATA[@]}" --backbone "mobilenetv2:$SIZE" --strategy full --epochs "$EPOCHS" --out "$OUT/full.graft" --metrics-json "$OUT/full.json"
run scratch fit "${DATA[@]}" --backbone smallcnn --strategy full --epochs "$((EPOCHS * 2))" --batch-size 64 --lr 2e-3 --out "$OUT/scratch.graft" --metrics-json "$OUT/scratch.json"
if [[ ",$RUNS," == *",transfer"* ]]; then
  rm -rf "$OUT/mnist-cnn"
  run pretrain pretrain --data "$MNIST" --out "$OUT/mnist-cnn" --epochs "$((EPOCHS * 2))"
  run transfer fit "${DATA[@]}" --backbone "cnn:$OUT/mnist-cnn" --strategy full --epochs "$((EPOCHS * 2))" --batch-size 64 --lr 2e-3 --out "$OUT/transfer.graft" --metrics-json "$OUT/transfer.json"
  for bn in recalibrate train; do
    run "transfer-$bn" fit "${DATA[@]}" --backbone "cnn:$OUT/mnist-cnn" --strategy full --batchnorm "$bn" --epochs "$((EPOCHS * 2))" --batch-size 64 --lr 2e-3 --out "$OUT/transfer-$bn.graft" --metrics-json "$OUT/transfer-$bn.json"
  done
fi
