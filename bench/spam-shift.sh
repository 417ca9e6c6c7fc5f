#!/usr/bin/env bash
# The mail-source shift split of SpamAssassin: train on easy-ham-1 + spam-1, test on
# hard-ham-1 + spam-2. Writes train.jsonl and test.jsonl into DIR (default bench/results/spam-shift).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-$ROOT/bench/results/spam-shift}"
mkdir -p "$OUT"
DATA="$("$ROOT/graft" datasets fetch spam-assassin)"
python3 - "$DATA" "$OUT" <<'PY'
import json, sys
data, out = sys.argv[1], sys.argv[2]
train = {"easy-ham-1", "spam-1"}
test = {"hard-ham-1", "spam-2"}
n = {"train": 0, "test": 0}
with open(data) as f, open(out + "/train.jsonl", "w") as tr, open(out + "/test.jsonl", "w") as te:
    for line in f:
        row = json.loads(line)
        slim = json.dumps({"text": row["text"], "label": row["label"], "group": row["group"]})
        if row["group"] in train:
            tr.write(slim + "\n"); n["train"] += 1
        elif row["group"] in test:
            te.write(slim + "\n"); n["test"] += 1
print(f"{out}/train.jsonl: {n['train']} rows; {out}/test.jsonl: {n['test']} rows", file=sys.stderr)
PY
