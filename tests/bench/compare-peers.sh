#!/usr/bin/env bash
# compare-peers.sh - FleetScope's parser next to the peer parsers of ../shared/peers, on the same
# files, in ONE run-peers.py invocation (the machine is shared and noisy: only ratios measured
# together mean anything). Prints run-peers' table, then FleetScope MB/s divided by each peer's,
# then PASS/FAIL for the acceptance target: FleetScope >= 10x go-expfmt on synthetic-large.prom.
#
#   tests/bench/compare-peers.sh [-r RUNS] [--bench PATH] [--target-s S] [FILES...]
#
# --bench: the fleetscope-parse-bench binary (default $FLEETSCOPE_PARSE_BENCH, else the first of
# build-bench/bin, build/*/bin, build/bin under the repo). This script builds nothing.
# Exit: 0 target met, 1 target missed (or not measured), 2 usage or setup error.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
shared=${FLEETSCOPE_SHARED_DIR:-$repo/../shared}
peersOut=${PEERS_OUT:-/tmp/fleetscope-peers}
python=/usr/bin/python3 # Debian's interpreter: run-peers.py and py-parse.py need its modules
runs=3
targetS=1.0
bench=${FLEETSCOPE_PARSE_BENCH:-}
files=()

usage() { sed -n '7,11p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while [[ $# -gt 0 ]]; do
  case $1 in
    -r|--runs) runs=${2:?}; shift 2 ;;
    --bench) bench=${2:?}; shift 2 ;;
    --target-s) targetS=${2:?}; shift 2 ;;
    -h|--help) usage ;;
    -*) echo "compare-peers: unknown option $1" >&2; usage ;;
    *) files+=("$1"); shift ;;
  esac
done

if [[ -z $bench ]]; then
  for candidate in "$repo"/build-bench/bin "$repo"/build/*/bin "$repo"/build/bin; do
    if [[ -x $candidate/fleetscope-parse-bench ]]; then
      bench=$candidate/fleetscope-parse-bench
      break
    fi
  done
fi
if [[ -z $bench || ! -x $bench ]]; then
  echo "compare-peers: no fleetscope-parse-bench at '${bench:-$repo/build-bench/bin/}'; build it:" >&2
  echo "  cmake -S $repo -B $repo/build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release" >&2
  echo "  ninja -C $repo/build-bench fleetscope-parse-bench   (or pass --bench PATH)" >&2
  exit 2
fi
bench=$(cd "$(dirname "$bench")" && pwd)/$(basename "$bench") # run-peers needs an absolute path
shared=$(cd "$shared" 2>/dev/null && pwd) || { echo "compare-peers: no shared folder at $shared" >&2; exit 2; }

# The peers are built (and the large corpus generated) by install.sh, which needs root for apt.
peersReady() {
  [[ -x $peersOut/go-expfmt/go-expfmt && -x $peersOut/go-vmparse/go-vmparse \
     && -f $peersOut/synthetic-large.prom && -f $peersOut/synthetic-large.om ]] \
    && command -v promtool >/dev/null && "$python" -c 'import prometheus_client' 2>/dev/null
}
if ! peersReady; then
  echo "compare-peers: peers missing in $peersOut; running $shared/peers/install.sh" >&2
  if [[ $(id -u) -eq 0 ]]; then
    PEERS_OUT=$peersOut sh "$shared/peers/install.sh"
  elif command -v sudo >/dev/null; then
    sudo PEERS_OUT="$peersOut" sh "$shared/peers/install.sh"
  else
    echo "compare-peers: install.sh needs root (apt-get); packages: packaging/install-deps.sh" >&2
    exit 2
  fi
  peersReady || { echo "compare-peers: peers still missing after install.sh" >&2; exit 2; }
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/compare-peers.XXXXXX")
trap 'rm -rf "$work"' EXIT

# run-peers.py runs extra peers as "PATH [-om] -n N ...": a wrapper adds -fresh for the
# parse()-each-time variant.
printf '#!/bin/sh\nexec "%s" -fresh "$@"\n' "$bench" >"$work/fleetscope-fresh"
chmod +x "$work/fleetscope-fresh"

# run-peers sizes -n from an estimated MB/s; a short calibration keeps each run near --target-s.
estimate() { # ARGS... -> MB/s of one quick run on the large file, rounded
  "$@" -n 1 -warmup 1 -json "$peersOut/synthetic-large.prom" \
    | "$python" -c 'import json,sys; print(max(1, round(json.loads(sys.stdin.read())["MBps"])))'
}
est=$(estimate "$bench")
estFresh=$(estimate "$bench" -fresh)
estOm=$("$bench" -om -n 1 -warmup 1 -json "$peersOut/synthetic-large.om" \
  | "$python" -c 'import json,sys; print(max(1, round(json.loads(sys.stdin.read())["MBps"])))')

echo "# compare-peers: $bench, run-peers -r $runs (calibrated MB/s: reuse $est, fresh $estFresh, om $estOm)"
echo
EXTRA_PEERS="fleetscope=$bench:$est,fleetscope-fresh=$work/fleetscope-fresh:$estFresh,fleetscope-om=$bench:$estOm" \
PEERS_OUT=$peersOut \
  "$python" "$shared/peers/run-peers.py" -r "$runs" --target-s "$targetS" --out "$work/runs.jsonl" \
  ${files[@]+"${files[@]}"} | tee "$work/table.md"
echo

"$python" - "$work/table.md" "$work/runs.jsonl" <<'PY'
import json, statistics, sys

table, runs = sys.argv[1], sys.argv[2]
PEERS = ["go-expfmt", "go-vmparse", "py-prom", "py-om", "promtool-check"]
OURS = ["fleetscope", "fleetscope-fresh", "fleetscope-om"]

# run-peers' table: | file | peer | bytes | samples | N/run | MBps median (min..max) | ns/sample |
mbps = {}
files = []
for line in open(table):
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    if len(cells) != 7 or cells[0] in ("file", "") or cells[0].startswith("---"):
        continue
    fname, peer, spread = cells[0], cells[1], cells[5]
    med, rest = spread.split(" ", 1)
    lo, hi = rest.strip("()").split("..")
    mbps.setdefault(fname, {})[peer] = (float(med), float(lo), float(hi))
    if fname not in files:
        files.append(fname)

print("## FleetScope MB/s / peer MB/s (medians of this run; >1 means FleetScope is faster)")
print()
print("| file | FleetScope variant | MB/s | " + " | ".join("/ " + p for p in PEERS) + " |")
print("|---|---|---:|" + "---:|" * len(PEERS))
for f in files:
    for ours in OURS:
        if ours not in mbps[f]:
            continue
        m = mbps[f][ours][0]
        cells = ["%.1fx" % (m / mbps[f][p][0]) if p in mbps[f] and mbps[f][p][0] > 0 else "-"
                 for p in PEERS]
        print("| %s | %s | %.1f | %s |" % (f, ours, m, " | ".join(cells)))

# Memory and allocations, from FleetScope's own JSON lines.
rows = {}
for line in open(runs):
    r = json.loads(line)
    if str(r.get("peer", "")).startswith("fleetscope"):
        key = (r["file"], r["peer"] + ("-om" if r.get("format") == "openmetrics" else ""))
        rows.setdefault(key, []).append(r)
if rows:
    print()
    print("| file | FleetScope variant | allocs/parse | alloc B/parse | held B/sample (vectors + arena etc.) |")
    print("|---|---|---:|---:|---|")
    for (f, peer), rs in sorted(rows.items()):
        med = lambda k: statistics.median(r[k] for r in rs)
        print("| %s | %s | %.1f | %.0f | %.1f (%.1f + %.1f) |" % (
            f, peer, med("allocs_per_iter"), med("alloc_B_per_iter"), med("held_B_per_sample"),
            med("held_vector_B_per_sample"), med("held_other_B_per_sample")))

print()
target, goal = "synthetic-large.prom", 10.0
got = mbps.get(target, {})
if "fleetscope" not in got or "go-expfmt" not in got:
    print("FAIL: FleetScope >= %.0fx go-expfmt on %s: not measured in this run" % (goal, target))
    sys.exit(1)
ratio = got["fleetscope"][0] / got["go-expfmt"][0]
worst = got["fleetscope"][1] / got["go-expfmt"][2]
verdict = "PASS" if ratio >= goal else "FAIL"
print("%s: FleetScope >= %.0fx go-expfmt on %s: %.1fx (%.1f / %.1f MB/s medians; "
      "slowest FleetScope run / fastest go-expfmt run: %.1fx)" % (
          verdict, goal, target, ratio, got["fleetscope"][0], got["go-expfmt"][0], worst))
sys.exit(0 if verdict == "PASS" else 1)
PY
