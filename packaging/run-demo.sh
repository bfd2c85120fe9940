#!/usr/bin/env bash
# run-demo.sh - install what is missing, build FleetScope and run its main job.
# The dashboard is not built yet (it arrives with the dashboard issue), so for now the demo is
# the exposition checker: it validates a sample edge node's /metrics output, then shows how an
# error is reported. Needs no display.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
packaging/install-deps.sh
echo "== building fleetscope (dev preset)"
cmake --preset dev >/dev/null
cmake --build --preset dev --target fleetscope
bin=build/dev/bin/fleetscope
sample=packaging/demo/edge-node.prom

echo
echo "== the dashboard is not built yet; demo: fleetscope check-metrics on a sample edge node"
echo "\$ fleetscope check-metrics --verbose $sample"
"$bin" check-metrics --verbose "$sample"
echo
echo "\$ fleetscope check-metrics --dump $sample | head -n 5"
"$bin" check-metrics --dump "$sample" | head -n 5
echo
echo "== a damaged exposition (a label value that lost its closing quote):"
echo "\$ fleetscope check-metrics --format openmetrics  <<< ..."
set +e
printf '# TYPE edge_invocations counter\nedge_invocations_total{region="nrt} 42\n# EOF\n' |
    "$bin" check-metrics --format openmetrics
echo "(exit status $?: 0 valid, 1 invalid, 2 usage or I/O error)"
