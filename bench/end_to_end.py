#!/usr/bin/env python3
"""End to end, whole processes: `graft fit --strategy feature-extraction` against the same job
written with ONNX Runtime and liblinear (dev.graft.bench.OnnxLogisticPipeline), on one split of a
JSONL data set, alternating, each Graft run with an empty cache (no features computed before).
Usage: end_to_end.py DATA.jsonl WORK_DIR PEER_CLASSPATH ROUNDS > result.json"""
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time

data, work, classpath, rounds = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
os.makedirs(work, exist_ok=True)

lines = [line for line in open(data, encoding="utf-8") if line.strip()]
random.Random(42).shuffle(lines)
test_size = len(lines) // 10
train_path, test_path = os.path.join(work, "e2e-train.jsonl"), os.path.join(work, "e2e-test.jsonl")
with open(train_path, "w", encoding="utf-8") as f:
    f.writelines(lines[test_size:])
with open(test_path, "w", encoding="utf-8") as f:
    f.writelines(lines[:test_size])


def timed(cmd, env, log):
    start = time.monotonic()
    with open(log, "w") as out:
        subprocess.run(cmd, env=env, stdout=out, stderr=subprocess.STDOUT, check=True)
    return time.monotonic() - start


graft, peer = [], []
for r in range(rounds):
    cache = os.path.join(work, "e2e-cache")
    shutil.rmtree(cache, ignore_errors=True)
    model, metrics = os.path.join(work, "e2e.graft"), os.path.join(work, "e2e-metrics.json")
    env = dict(os.environ, GRAFT_CACHE=cache)
    seconds = timed([os.path.join(root, "graft"), "fit", "--data", train_path, "--test", test_path,
                     "--strategy", "feature-extraction", "--out", model, "--metrics-json", metrics], env,
                    os.path.join(work, "e2e-graft.log"))
    graft.append({"seconds": seconds, "accuracy": json.load(open(metrics))["accuracy"]})
    log = os.path.join(work, "e2e-peer.log")
    seconds = timed(["java", "-Xmx4g", "-cp", classpath, "dev.graft.bench.OnnxLogisticPipeline", train_path, test_path],
                    dict(os.environ), log)
    result = json.loads([l for l in open(log) if l.startswith("RESULT ")][-1][len("RESULT "):])
    peer.append({"seconds": seconds, "accuracy": result["accuracy"], "features_seconds": result["features_seconds"]})
    print(f"round {r + 1}: graft {graft[-1]['seconds']:.1f} s (accuracy {graft[-1]['accuracy']:.4f}), "
          f"onnxruntime+liblinear {seconds:.1f} s (accuracy {result['accuracy']:.4f})", file=sys.stderr)


def spread(runs, key):
    values = [run[key] for run in runs]
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


print(json.dumps({"suite": "endtoend", "train": len(lines) - test_size, "test": test_size, "rounds": rounds,
                  "graft": {**spread(graft, "seconds"), "accuracy": spread(graft, "accuracy")},
                  "peer": {**spread(peer, "seconds"), "accuracy": spread(peer, "accuracy"),
                           "features_seconds": spread(peer, "features_seconds")}}))
