#!/usr/bin/env bash
# run-demo.sh - install what is missing, build FleetScope and open it on the embedded demo fleet
# (fleetsim's 24 simulated nodes in 13 regions, served in the same process on 127.0.0.1, with
# time sped up so day and night, scale-to-zero and bursts show within minutes).
# Without a display it says so and runs the headless demo instead: a 20-second collection
# written to demo-report.csv, with the per-region figures printed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
packaging/install-deps.sh
echo "== building fleetscope (dev preset)"
cmake --preset dev >/dev/null
cmake --build --preset dev --target fleetscope
bin=build/dev/bin/fleetscope

if [[ -n ${DISPLAY:-} || -n ${WAYLAND_DISPLAY:-} ]]; then
    echo "== opening FleetScope on the demo fleet"
    exec "$bin" --demo
fi

echo "== no display (DISPLAY and WAYLAND_DISPLAY are unset): running the headless demo instead"
echo "   (for the window on a machine without one: xvfb-run -a $bin --demo --screenshot demo.png)"
echo "\$ fleetscope report --demo --duration 20s --out demo-report.csv"
"$bin" report --demo --duration 20s --out demo-report.csv
echo
echo "Per-region figures (from demo-report.csv):"
python3 - demo-report.csv <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
header = rows[1]
col = {name: i for i, name in enumerate(header)}
for row in rows[2:]:
    if not row or row[0].startswith("#"):
        break
    def v(name, unit=""):
        x = row[col[name]]
        return (x + unit) if x else "no data"
    print(f"  {row[0]:<5} p95 {v('latency_p95_ms', ' ms'):>12}   hit ratio {v('hit_ratio'):>9}   "
          f"cost per million {v('cost_per_million_usd', ' USD'):>14}   nodes up/idle/down "
          f"{row[col['nodes_up']]}/{row[col['nodes_idle']]}/{row[col['nodes_down']]}")
PY
