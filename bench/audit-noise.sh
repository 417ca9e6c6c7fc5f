#!/usr/bin/env bash
# How well `graft audit` finds wrong labels: SpamAssassin split 80/20 (stratified, seeded), 5 %
# of the training labels flipped at random (seeded), then audited with the clean test split.
# Prints precision and recall of the flipped examples among the top-N suspects (N = number flipped)
# and among all suspects, and the probe's test macro-F1 with and without the suspects; the same
# audit of the clean training split for comparison.
# Usage: bench/audit-noise.sh [flip-fraction] [seed]     (defaults 0.05, 7); results in bench/results/audit/
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FRACTION="${1:-0.05}"; SEED="${2:-7}"
OUT="$ROOT/bench/results/audit"; mkdir -p "$OUT"
DATA="$("$ROOT/graft" datasets fetch spam-assassin)"
python3 - "$DATA" "$OUT" "$FRACTION" "$SEED" <<'PY'
import json, random, sys
data, out, fraction, seed = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
rows = [json.loads(l) for l in open(data)]
rows = [{"text": r["text"], "label": r["label"]} for r in rows if r["text"].strip()]
rng = random.Random(seed)
by = {}
for r in rows:
    by.setdefault(r["label"], []).append(r)
train, test = [], []
for label, group in sorted(by.items()):
    rng.shuffle(group)
    cut = int(len(group) * 0.8)
    train += group[:cut]; test += group[cut:]
rng.shuffle(train); rng.shuffle(test)
labels = sorted(by)
flipped = sorted(rng.sample(range(len(train)), round(fraction * len(train))))
noisy = [dict(r) for r in train]
for i in flipped:
    noisy[i]["label"] = rng.choice([l for l in labels if l != noisy[i]["label"]])
def write(name, items):
    with open(f"{out}/{name}", "w") as f:
        for r in items:
            f.write(json.dumps(r) + "\n")
write("train-clean.jsonl", train); write("train-noisy.jsonl", noisy); write("test.jsonl", test)
json.dump({"flipped": [i + 1 for i in flipped], "train_rows": len(train)}, open(f"{out}/flipped.json", "w"))
print(f"train {len(train)} ({len(flipped)} labels flipped, seed {seed}), test {len(test)}", file=sys.stderr)
PY
"$ROOT/graft" audit --data "$OUT/train-noisy.jsonl" --test "$OUT/test.jsonl" --top 10 \
  --suspects "$OUT/suspects.jsonl" --json "$OUT/audit-noisy.json" | tee "$OUT/audit-noisy.txt"
"$ROOT/graft" audit --data "$OUT/train-clean.jsonl" --test "$OUT/test.jsonl" --top 5 \
  --json "$OUT/audit-clean.json" > "$OUT/audit-clean.txt"
python3 - "$OUT" <<'PY'
import json, sys
out = sys.argv[1]
truth = json.load(open(f"{out}/flipped.json"))
noisy = json.load(open(f"{out}/audit-noisy.json"))
clean = json.load(open(f"{out}/audit-clean.json"))
assert noisy["examples"] == truth["train_rows"], "graft loaded a different number of rows than were written"
flipped = set(truth["flipped"])
ranked = [s["example"] for s in noisy["suspects"]]
def pr(top):
    hit = len(flipped & set(top))
    return hit / max(1, len(top)), hit / len(flipped)
n = len(flipped)
p_n, r_n = pr(ranked[:n]); p_all, r_all = pr(ranked)
f = noisy["fix"]; c = clean["fix"]
print(f"\nflipped {n} of {truth['train_rows']} training labels; {len(ranked)} suspects")
print(f"top-{n} suspects: precision {p_n:.3f}, recall {r_n:.3f}")
print(f"all {len(ranked)} suspects: precision {p_all:.3f}, recall {r_all:.3f}")
print(f"probe test macro-F1, noisy labels: {f['test_macro_f1_before']:.4f} with the suspects, {f['test_macro_f1_after']:.4f} without ({f['removed']} removed)")
print(f"probe test macro-F1, clean labels: {c['test_macro_f1_before']:.4f} (the clean audit flags {clean['suspect_count']} suspects)")
json.dump({"flipped": n, "suspects": len(ranked), "top_n_precision": p_n, "top_n_recall": r_n,
           "all_precision": p_all, "all_recall": r_all, "test_macro_f1_noisy_before": f["test_macro_f1_before"],
           "test_macro_f1_noisy_after": f["test_macro_f1_after"], "test_macro_f1_clean": c["test_macro_f1_before"]},
          open(f"{out}/summary.json", "w"), indent=1)
PY
