#!/usr/bin/env bash
# `graft fit --strategy auto` built from two commits, alternating, on the same data: wall time and peak RSS.
# Shows what loading and splitting the data once (the advisor and every step sharing it) changed.
# Usage: bench/auto-before-after.sh [BEFORE_COMMIT=ce2559b] [ROWS=1500] [ROUNDS=2]
# Writes bench/results/auto-before-after/summary.md.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BEFORE="${1:-ce2559b}"; ROWS="${2:-1500}"; ROUNDS="${3:-2}"
OUT="$ROOT/bench/results/auto-before-after"; rm -rf "$OUT"; mkdir -p "$OUT"
source "$ROOT/bench/snapshot.sh"
AFTER_REV="$(git -C "$ROOT" rev-parse --short HEAD)"
snapshot "$OUT/after"
AFTER_BIN="$GRAFT_BIN"
tree="$OUT/before-src"
git -C "$ROOT" worktree add --detach "$tree" "$BEFORE" > /dev/null
trap 'git -C "$ROOT" worktree remove --force "$tree"' EXIT
(cd "$tree" && mvn -q -B -o -DskipTests -pl graft-cli -am package)
mkdir -p "$OUT/before/cli"; cp "$tree"/graft-cli/target/graft-cli-*.jar "$tree"/graft-cli/target/lib/*.jar "$OUT/before/cli/"

DATA="$(GRAFT_BIN=$AFTER_BIN graft datasets fetch spam-assassin)"
python3 - "$DATA" "$OUT/train.jsonl" "$ROWS" <<'PY'
import json, random, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if json.loads(l)["text"].strip()]
random.Random(7).shuffle(rows)
with open(sys.argv[2], "w") as f:
    for r in rows[: int(sys.argv[3])]:
        f.write(json.dumps({"text": r["text"], "label": r["label"]}) + "\n")
PY
# a first fit fills the feature cache that both versions share, so neither pays for it in the timed runs
GRAFT_BIN=$AFTER_BIN graft fit --data "$OUT/train.jsonl" --strategy feature-extraction --out "$OUT/warm.graft" > /dev/null
for round in $(seq 1 "$ROUNDS"); do
  for version in before after; do
    rm -rf "$OUT/$version.graft" "$OUT/$version.graft.auto"
    /usr/bin/time -f "%e %M" -o "$OUT/$version-$round.time" \
      java -Xmx4g -Dai.djl.offline=true -cp "$OUT/$version/cli/*" dev.graft.cli.GraftCommand \
      fit --data "$OUT/train.jsonl" --strategy auto --out "$OUT/$version.graft" > "$OUT/$version-$round.log" 2>&1
    echo "$version round $round: $(cat "$OUT/$version-$round.time") (s, KB)"
  done
done
python3 - "$OUT" "$ROUNDS" "$BEFORE" "$AFTER_REV" "$ROWS" <<'PY' | tee "$OUT/summary.md"
import statistics, sys
out, rounds, before, after, rows = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
def runs(v):
    return [tuple(map(float, open(f"{out}/{v}-{r}.time").read().split())) for r in range(1, rounds + 1)]
b, a = runs("before"), runs("after")
print(f"graft fit --strategy auto, {rows} SpamAssassin emails, features cached, {rounds} alternating rounds (medians)")
print("| build | wall s | peak RSS GB |\n|---|---:|---:|")
for name, r in ((f"before ({before})", b), (f"after ({after})", a)):
    print(f"| {name} | {statistics.median(x[0] for x in r):.0f} | {statistics.median(x[1] for x in r) / 1e6:.2f} |")
print(f"wall after/before: {statistics.median(x[0] for x in a) / statistics.median(x[0] for x in b):.2f}×")
PY
