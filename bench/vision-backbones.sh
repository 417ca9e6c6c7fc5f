#!/usr/bin/env bash
# Fashion-MNIST on each image backbone: what graft advise recommends, feature extraction, one
# fine-tuning strategy, and the ONNX export round trip of the fine-tuned classifier (its agreement
# with the bundle on the test images, and graft predict's wall time on them: bundle against
# --engine onnx, alternating, 3 rounds). The same subsample as bench/vision-fashion.sh: TRAIN per
# class from train.jsonl (graft fit holds out 10 % for validation), TEST per class from test.jsonl.
# Usage: [RESUME=1] bench/vision-backbones.sh [TRAIN_PER_CLASS=600] [TEST_PER_CLASS=200] [EPOCHS=3] [SPECS]
# RESUME=1 keeps the fits an earlier run finished (their metrics and time files) instead of redoing them.
# SPECS: space-separated backbone=strategy[@epochs] (default below; smallcnn learns from scratch, so
# it gets twice the epochs, as in bench/vision-fashion.sh). An imported network is named by its file
# name in the results: onnx:/models/cls.onnx=partial:2 writes cls.onnx-partial-2.json.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PER="${1:-600}"; TEST_PER="${2:-200}"; EPOCHS="${3:-3}"
SPECS="${4:-mobilenetv2:96=full inceptionv3:96=full smallcnn=full@$((EPOCHS * 2))}"
OUT="$ROOT/bench/results/vision-backbones"; mkdir -p "$OUT"
TRAIN_ALL="$("$ROOT/graft" datasets fetch fashion-mnist)"
"$ROOT/graft" models fetch mobilenetv2 >/dev/null
"$ROOT/graft" models fetch inceptionv3 >/dev/null
python3 - "$TRAIN_ALL" "$PER" "$OUT/train.jsonl" "$(dirname "$TRAIN_ALL")/test.jsonl" "$TEST_PER" "$OUT/test.jsonl" "$OUT/test-images.txt" <<'PY'
import json, sys
def take(src, per, dst, paths=None):
    seen = {}
    with open(dst, "w") as f, open(paths or "/dev/null", "w") as p:
        for line in open(src):
            r = json.loads(line)
            if seen.get(r["label"], 0) < per:
                seen[r["label"]] = seen.get(r["label"], 0) + 1
                f.write(line)
                p.write(r["image"] + "\n")
take(sys.argv[1], int(sys.argv[2]), sys.argv[3])
take(sys.argv[4], int(sys.argv[5]), sys.argv[6], sys.argv[7])
PY
DATA=(--data "$OUT/train.jsonl" --test "$OUT/test.jsonl")
timed() { # name, then graft arguments: one line with accuracy, wall time and peak RSS
  local name="$1"; shift
  if [[ -n "${RESUME:-}" && -f "$OUT/$name.json" && -f "$OUT/$name.time" ]]; then
    echo "$name: done before (RESUME), kept"
  else
    rm -rf "$OUT/$name.graft" "$OUT/$name.graft.checkpoint"
    /usr/bin/time -v "$ROOT/graft" "$@" 2> "$OUT/$name.time" > "$OUT/$name.out" || { tail -3 "$OUT/$name.time"; return 1; }
  fi
  local acc wall rss
  acc=$(python3 -c "import json;m=json.load(open('$OUT/$name.json'));print('%.4f %.4f'%(m['accuracy'],m['macro_f1']))" 2>/dev/null || echo "- -")
  wall=$(grep "Elapsed (wall" "$OUT/$name.time" | awk '{print $NF}')
  rss=$(grep "Maximum resident" "$OUT/$name.time" | awk '{printf "%.2f GB", $NF/1048576}')
  printf "%-32s test accuracy / macro-F1 %s   wall %s   peak RSS %s\n" "$name" "$acc" "$wall" "$rss" | tee -a "$OUT/summary.txt"
}
seconds() { /usr/bin/time -f %e "$@" 2>&1 >/dev/null | tail -1 | grep -oE '[0-9.]+$'; }
echo "# $(date -u +%FT%TZ) train $PER/class (10 % of it validation), test $TEST_PER/class, $EPOCHS epochs" | tee -a "$OUT/summary.txt"
for spec in $SPECS; do
  backbone="${spec%%=*}"; strategy="${spec#*=}"; epochs="$EPOCHS"; tag="${backbone##*/}"; tag="${tag//[:#]/-}"
  if [[ "$strategy" == *@* ]]; then epochs="${strategy#*@}"; strategy="${strategy%@*}"; fi
  if [[ -z "${RESUME:-}" || ! -f "$OUT/$tag-advice.json" ]]; then
    /usr/bin/time -v "$ROOT/graft" advise --data "$OUT/train.jsonl" --backbone "$backbone" --json "$OUT/$tag-advice.json" \
      > "$OUT/$tag-advice.out" 2> "$OUT/$tag-advice.time" || true
  fi
  echo "$backbone advice: $(python3 -c "import json;a=json.load(open('$OUT/$tag-advice.json'));r=a['recommendation'];print(r['strategy'], '(runner-up', r['runner_up'] + ')')" 2>/dev/null | head -c 300)" | tee -a "$OUT/summary.txt"
  timed "$tag-feature-extraction" fit "${DATA[@]}" --backbone "$backbone" --strategy feature-extraction --out "$OUT/$tag-feature-extraction.graft" --metrics-json "$OUT/$tag-feature-extraction.json"
  timed "$tag-${strategy//:/-}" fit "${DATA[@]}" --backbone "$backbone" --strategy "$strategy" --epochs "$epochs" --out "$OUT/$tag-${strategy//:/-}.graft" --metrics-json "$OUT/$tag-${strategy//:/-}.json"
  bundle="$OUT/$tag-${strategy//:/-}.graft"; export_dir="$OUT/$tag-onnx"; rm -rf "$export_dir"
  "$ROOT/graft" export "$bundle" --format onnx --data "$OUT/test.jsonl" --out "$export_dir" 2>&1 | grep -E "model.onnx|accuracy" | awk -v p="$backbone export: " '{print p $0}' | tee -a "$OUT/summary.txt"
  b=(); o=()
  for round in 1 2 3; do
    b+=("$(seconds "$ROOT/graft" predict --model "$bundle" --input "$OUT/test-images.txt" --json)")
    o+=("$(seconds "$ROOT/graft" predict --model "$export_dir" --engine onnx --input "$OUT/test-images.txt" --json)")
  done
  python3 - "$backbone" "${b[*]}" "${o[*]}" "$(wc -l < "$OUT/test-images.txt")" <<'PY' | tee -a "$OUT/summary.txt"
import statistics, sys
name, b, o, n = sys.argv[1], [float(x) for x in sys.argv[2].split()], [float(x) for x in sys.argv[3].split()], int(sys.argv[4])
mb, mo = statistics.median(b), statistics.median(o)
print(f"{name} predict on {n} test images, median of 3 (min-max): bundle {mb:.1f} s ({min(b):.1f}-{max(b):.1f}), onnx {mo:.1f} s ({min(o):.1f}-{max(o):.1f}); onnx/bundle throughput {mb / mo:.2f}x")
PY
done
