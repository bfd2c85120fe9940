#!/usr/bin/env bash
# run-fuzz.sh FUZZER SECONDS WORKDIR SHARED_DIR SOURCE_DIR
# Seeds a corpus from the OpenMetrics conformance inputs, the 0.0.4 cases, the real exporter
# outputs and the inputs that once failed (tests/fuzz/regressions/FUZZER/), fuzzes for SECONDS,
# and fails on any crash, leak, timeout or sanitizer finding (the reproducer is left in
# WORKDIR/artifacts/; copy it into tests/fuzz/regressions/FUZZER/ with the fix).
set -euo pipefail
fuzzer=$1 seconds=$2 work=$3 shared=$4 source=$5
mkdir -p "$work/corpus" "$work/artifacts"
seeds=0
add_seed() { cp -f "$1" "$work/corpus/seed-$(sha1sum "$1" | cut -c1-16)"; seeds=$((seeds + 1)); }
if [[ -d $shared/conformance/openmetrics ]]; then
    for f in "$shared"/conformance/openmetrics/*/metrics; do add_seed "$f"; done
    for f in "$shared"/peers/corpus/*.prom; do add_seed "$f"; done
elif [[ ${CI:-} == true ]]; then
    echo "FAIL: $shared/conformance is missing (CI=true: the shared folder must be present)"; exit 1
else
    echo "note: $shared/conformance is missing; seeding from the project's own cases only"
fi
for f in "$source"/tests/prometheus-text/cases/*/metrics; do [[ -f $f ]] && add_seed "$f"; done
# Inputs that once failed: in the corpus, so libFuzzer runs them first and a regression fails at once.
for f in "$source/tests/fuzz/regressions/$(basename "$fuzzer")"/*; do [[ -f $f ]] && add_seed "$f"; done
echo "fuzzing $fuzzer for ${seconds}s from $seeds seeds"
"$fuzzer" "$work/corpus" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -max_len=65536 -print_final_stats=1 -artifact_prefix="$work/artifacts/" 2>"$work/fuzz.log" || {
    rc=$?
    tail -n 60 "$work/fuzz.log"
    echo "FAIL: the fuzzer found a problem (exit $rc); reproducer in $work/artifacts/"
    exit 1
}
grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+ +DONE)' "$work/fuzz.log" || tail -n 5 "$work/fuzz.log"
echo "fuzz: no finding in ${seconds}s"
