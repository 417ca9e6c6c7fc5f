#!/usr/bin/env bash
# SIGKILL graft fit, graft serve --data and graft compare at random moments, N rounds each (default
# 20), and check that nothing is lost (KillTest). Usage: bench/kill-test.sh [N] [SEED]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT" && mvn -q -o -B install -DskipTests > /dev/null
mvn -o -B test -pl graft-cli -Dtest=KillTest -Dkill.iterations="${1:-20}" -Dkill.seed="${2:-20261129}" \
  | grep -E "kill test|compare killed|Tests run:|FAIL"
