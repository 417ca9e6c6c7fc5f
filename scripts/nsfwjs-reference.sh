#!/usr/bin/env bash
# Regenerates graft-core/src/test/resources/dev/graft/backbone/vision/mobilenetv2-reference.json and
# inceptionv3-reference.json, the TensorFlow.js features the parity tests compare Graft against: installs
# @tensorflow/tfjs@4.22.0 and nsfwjs@4.4.0 into a temporary directory and runs
# scripts/nsfwjs-reference.js there. Usage: scripts/nsfwjs-reference.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$(mktemp -d)"; trap 'rm -rf "$WORK"' EXIT
(cd "$WORK" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund --ignore-scripts \
  @tensorflow/tfjs@4.22.0 nsfwjs@4.4.0 >/dev/null)
cp "$ROOT/scripts/nsfwjs-reference.js" "$WORK/"
FIXTURES="$ROOT/graft-core/src/test/resources/dev/graft/backbone/vision"
(cd "$WORK" && node nsfwjs-reference.js "$FIXTURES/mobilenetv2-reference.json" mobilenet_v2)
(cd "$WORK" && node nsfwjs-reference.js "$FIXTURES/inceptionv3-reference.json" inception_v3)
