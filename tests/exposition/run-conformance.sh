#!/usr/bin/env bash
# run-conformance.sh RUNNER CMD [CASES] - runs the shared OpenMetrics runner, which must report
# no failure. Skips (exit 77) when ../shared is absent, except under CI=true, where that fails.
set -u
runner=$1; cmd=$2; shift 2
if [[ ! -f $runner ]]; then
    if [[ ${CI:-} == true ]]; then
        echo "FAIL: $runner is missing (CI=true: the shared folder must be present)"; exit 1
    fi
    echo "SKIP: $runner is missing (the shared folder beside the project)"; exit 77
fi
out=$(bash "$runner" "$cmd" "$@" 2>&1); rc=$?
echo "$out" | tail -n 25
last=$(echo "$out" | tail -n 1)
[[ $rc -eq 0 && $last =~ ^[0-9]+\ passed,\ 0\ failed$ ]]
