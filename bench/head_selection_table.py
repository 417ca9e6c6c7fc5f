"""Prints the markdown table of bench/head-selection.sh from its JSON lines on standard input and
writes them, with the time, to the JSON file named by the first argument."""
import datetime
import json
import sys

rows = [json.loads(line) for line in sys.stdin if line.strip()]
json.dump({"written": datetime.datetime.utcnow().strftime("%Y-%m-%dT%H:%M:%SZ"), "sets": rows},
          open(sys.argv[1], "w"), indent=1)
NAMES = {"graft": "Graft default", "graft_unweighted": "Graft, `--class-weights none`",
         "sklearn_lr_cv": "LogisticRegressionCV", "sklearn_lr_cv_standardised": "LogisticRegressionCV, standardised",
         "sklearn_lr_cv_balanced": "LogisticRegressionCV, standardised, balanced, f1_macro"}


def cell(s, key):
    return "%.4f [%.4f, %.4f]" % (s[key], *s[key + "_ci95"])


print("| set | method | test accuracy [95 %] | test macro-F1 [95 %] | notes |")
print("|---|---|---|---|---|")
for r in rows:
    for method, name in NAMES.items():
        if method not in r:
            continue
        s = r[method]
        if method.startswith("graft"):
            notes = ["minus %s: acc [%+.4f, %+.4f], F1 [%+.4f, %+.4f]"
                     % (k[len("minus_"):], *v["accuracy"], *v["macro_f1"]) for k, v in s.items() if k.startswith("minus_")]
            notes.append("test ECE %.4f → %.4f (T %.2f)" % (s["test_ece_before"], s["test_ece_after"], s["temperature"]))
            if method == "graft":
                notes.insert(0, "%s; selection %.1f s / features %.1f s"
                             % (r["graft_chosen"], r["selection_seconds"], r["feature_seconds"]))
        else:
            notes = ["C %.4g, fit %.1f s" % (s["C"], s["fit_seconds"])]
        first = "%s (%s; %s / %s rows, %d classes)" % (r["name"], r["backbone"], format(r["train"], ","),
                                                       format(r["test"], ","), r["classes"]) if method == "graft" else ""
        print("| %s | %s | %s | %s | %s |" % (first, name, cell(s, "accuracy"), cell(s, "macro_f1"), "; ".join(notes)))
