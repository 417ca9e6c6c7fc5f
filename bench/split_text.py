"""Splits a labelled JSONL file once for a benchmark: classes with fewer than 50 rows are dropped
(too few to learn and to test), each class is subsampled to at most MAX rows in all (in
proportion), shuffled with seed 7, and 20 % of it goes to the test file.

Usage: split_text.py SOURCE.jsonl WORK_DIR MAX   (writes WORK_DIR/train.jsonl and test.jsonl)
"""
import json
import random
import sys
from collections import defaultdict

src, work, cap = sys.argv[1], sys.argv[2], int(sys.argv[3])
by = defaultdict(list)
for line in open(src):
    by[json.loads(line)["label"]].append(line)
by = {k: v for k, v in by.items() if len(v) >= 50}
total = sum(len(v) for v in by.values())
rng = random.Random(7)
train, test = [], []
for label in sorted(by):
    rows = by[label]
    rng.shuffle(rows)
    keep = rows[:max(10, round(len(rows) * min(1.0, cap / total)))]
    cut = round(len(keep) * 0.2)
    test += keep[:cut]
    train += keep[cut:]
rng.shuffle(train)
rng.shuffle(test)
open(work + "/train.jsonl", "w").writelines(train)
open(work + "/test.jsonl", "w").writelines(test)
print(f"{len(train)} train / {len(test)} test rows, {len(by)} classes", file=sys.stderr)
