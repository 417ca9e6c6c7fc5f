"""The scikit-learn peer of Graft's feature-extraction head, on exactly Graft's frozen features.

Reads WORK/train.{f32,labels} and WORK/test.{f32,labels,logits,head.json} (written by
dev.graft.bench.FeatureDump; WORK/test-unweighted.{logits,head.json} too when Graft also ran with
--class-weights none), fits LogisticRegressionCV (10 L2 strengths from 1e-4 to 1e4, stratified
5-fold CV, all training rows) on the raw and on the standardised features (with --balanced also
with class_weight="balanced" and scoring="f1_macro"), and scores them and Graft's bundles on the
test rows: accuracy and macro-F1 with 95 % bootstrap intervals (2,000 resamples of the test rows),
the paired difference Graft minus each peer, and the expected calibration error (15 bins) of
Graft's head before and after its temperature.

Usage: logistic_cv.py WORK NAME [--balanced]   (prints one RESULT JSON line)
"""
import os
import json
import sys
import time

import numpy as np
from sklearn.linear_model import LogisticRegressionCV
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

BOOTSTRAP = 2000


def read(prefix, classes=None):
    labels = open(prefix + ".labels").read().splitlines()
    x = np.fromfile(prefix + ".f32", dtype="<f4").reshape(len(labels), -1)
    return x, labels


def macro_f1(truth, pred, k):
    confusion = np.bincount(truth * k + pred, minlength=k * k).reshape(k, k)
    tp = np.diag(confusion).astype(float)
    predicted = confusion.sum(0)
    actual = confusion.sum(1)
    with np.errstate(invalid="ignore", divide="ignore"):
        precision = np.where(predicted > 0, tp / predicted, 0)
        recall = np.where(actual > 0, tp / actual, 0)
        f1 = np.where(precision + recall > 0, 2 * precision * recall / (precision + recall), 0)
    return f1[actual > 0].mean()


def ece(p, truth, bins=15):
    confidence = p.max(1)
    correct = p.argmax(1) == truth
    edges = np.linspace(0, 1, bins + 1)
    total = 0.0
    for lo, hi in zip(edges[:-1], edges[1:]):
        inside = (confidence > lo) & (confidence <= hi)
        if inside.any():
            total += inside.mean() * abs(correct[inside].mean() - confidence[inside].mean())
    return total


def softmax(z):
    z = z - z.max(1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(1, keepdims=True)


def interval(values):
    lo, hi = np.percentile(values, [2.5, 97.5])
    return [round(float(lo), 4), round(float(hi), 4)]


def main():
    work, name = sys.argv[1], sys.argv[2]
    train_x, train_labels = read(work + "/train")
    test_x, test_labels = read(work + "/test")
    head = json.load(open(work + "/test.head.json"))
    classes = head["labels"]
    index = {c: i for i, c in enumerate(classes)}
    train_y = np.array([index[c] for c in train_labels])
    test_y = np.array([index[c] for c in test_labels])
    k = len(classes)

    calibration = {}
    predictions = {}
    for method, prefix in [("graft", "/test"), ("graft_unweighted", "/test-unweighted")]:
        if not os.path.exists(work + prefix + ".logits"):
            continue
        meta = json.load(open(work + prefix + ".head.json"))
        assert meta["labels"] == classes, "Graft's bundles disagree on the label order"
        logits = np.fromfile(work + prefix + ".logits", dtype="<f4").reshape(len(test_y), k).astype(np.float64)
        raw, calibrated = softmax(logits), softmax(logits / meta["temperature"])
        predictions[method] = raw.argmax(1)
        calibration[method] = {"test_ece_before": round(ece(raw, test_y), 4),
                               "test_ece_after": round(ece(calibrated, test_y), 4), "temperature": meta["temperature"]}
    seconds = {}
    chosen_c = {}
    folds = StratifiedKFold(5, shuffle=True, random_state=0)
    peers = [
        ("sklearn_lr_cv", LogisticRegressionCV(Cs=10, cv=folds, max_iter=5000, n_jobs=2)),
        ("sklearn_lr_cv_standardised",
         make_pipeline(StandardScaler(), LogisticRegressionCV(Cs=10, cv=folds, max_iter=5000, n_jobs=2))),
    ]
    if "--balanced" in sys.argv:
        peers.append(("sklearn_lr_cv_balanced", make_pipeline(StandardScaler(), LogisticRegressionCV(
            Cs=10, cv=folds, max_iter=5000, n_jobs=2, class_weight="balanced", scoring="f1_macro"))))
    for peer, model in peers:
        start = time.perf_counter()
        model.fit(train_x, train_y)
        seconds[peer] = round(time.perf_counter() - start, 2)
        fitted = model[-1] if hasattr(model, "steps") else model
        chosen_c[peer] = float(fitted.C_[0])
        predictions[peer] = model.predict(test_x)

    rng = np.random.default_rng(0)
    samples = rng.integers(0, len(test_y), size=(BOOTSTRAP, len(test_y)))
    scores = {}
    for method, pred in predictions.items():
        acc = (pred == test_y).astype(float)
        boot_acc = acc[samples].mean(1)
        boot_f1 = np.array([macro_f1(test_y[s], pred[s], k) for s in samples])
        scores[method] = {
            "accuracy": round(float(acc.mean()), 4), "accuracy_ci95": interval(boot_acc),
            "macro_f1": round(macro_f1(test_y, pred, k), 4), "macro_f1_ci95": interval(boot_f1),
            "_boot_acc": boot_acc, "_boot_f1": boot_f1,
        }
    for mine in calibration:
        for peer in chosen_c:
            scores[mine]["minus_" + peer] = {
                "accuracy": interval(scores[mine]["_boot_acc"] - scores[peer]["_boot_acc"]),
                "macro_f1": interval(scores[mine]["_boot_f1"] - scores[peer]["_boot_f1"]),
            }
        scores[mine].update(calibration[mine])
    for s in scores.values():
        del s["_boot_acc"], s["_boot_f1"]
    for peer, c in chosen_c.items():
        scores[peer]["C"] = c
        scores[peer]["fit_seconds"] = seconds[peer]
    result = {"name": name, "train": len(train_y), "test": len(test_y), "classes": k,
              "features": int(train_x.shape[1]), **scores}
    print("RESULT " + json.dumps(result))


if __name__ == "__main__":
    main()
