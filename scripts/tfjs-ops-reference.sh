#!/usr/bin/env bash
# Regenerates graft-core/src/test/resources/dev/graft/backbone/vision/tfjs-ops/ (a small TF.js
# layers model using every layer type the import supports, and TensorFlow.js's output for two
# inputs), which TfjsImportTest compares Graft against: installs @tensorflow/tfjs@4.22.0 into a
# temporary directory and runs scripts/tfjs-ops-reference.js there. Usage: scripts/tfjs-ops-reference.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$(mktemp -d)"; trap 'rm -rf "$WORK"' EXIT
(cd "$WORK" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund --ignore-scripts @tensorflow/tfjs@4.22.0 >/dev/null)
cp "$ROOT/scripts/tfjs-ops-reference.js" "$WORK/"
(cd "$WORK" && node tfjs-ops-reference.js "$ROOT/graft-core/src/test/resources/dev/graft/backbone/vision/tfjs-ops")
