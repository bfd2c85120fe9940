#!/usr/bin/env bash
# run-cli-conformance.sh RUNNER FLEETSCOPE CASES_DIR
# Feeds every Prometheus text 0.0.4 case to `fleetscope check-metrics --format prometheus` through
# the shared OpenMetrics runner. A missing runner is a skip (exit 77), or a failure when CI=true.
set -u
runner=$1
fleetscope=$2
cases=$3

if [ ! -f "$runner" ]; then
  if [ "${CI:-}" = true ]; then
    echo "FAIL: shared conformance runner missing: $runner (CI=true needs ../shared)"
    exit 1
  fi
  echo "SKIP: shared conformance runner missing: $runner"
  exit 77
fi

cmd="$(printf '%q' "$fleetscope") check-metrics --format prometheus"
exec bash "$runner" "$cmd" "$cases"
