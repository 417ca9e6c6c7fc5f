#!/usr/bin/env bash
# Regenerates graft-core/src/test/resources/dev/graft/backbone/vision/mobilenetv2-reference.json, the
# TensorFlow.js features MobileNetV2ParityTest compares Graft against: installs
# @tensorflow/tfjs@4.22.0 and nsfwjs@4.4.0 into a temporary directory and runs
# scripts/mobilenetv2-reference.js there. Usage: scripts/mobilenetv2-reference.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$(mktemp -d)"; trap 'rm -rf "$WORK"' EXIT
(cd "$WORK" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund --ignore-scripts \
  @tensorflow/tfjs@4.22.0 nsfwjs@4.4.0 >/dev/null)
cp "$ROOT/scripts/mobilenetv2-reference.js" "$WORK/"
(cd "$WORK" && node mobilenetv2-reference.js "$ROOT/graft-core/src/test/resources/dev/graft/backbone/vision/mobilenetv2-reference.json")
