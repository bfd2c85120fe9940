#!/usr/bin/env bash
# run-tests.sh - install what is missing, configure, build and run every test:
#   1. the ci preset (Release, warnings as errors): every suite, conformance, peers, benchmarks' smoke runs
#   2. package: the .deb from stage 1 installed with apt into a fresh Debian 12 root, where the
#      installed fleetscope runs (tests/packaging/deb-fresh-root.sh); needs root, debootstrap and
#      network, skipped with a message without root or debootstrap, except under CI=true
#   3. the asan preset (ASan + UBSan): the whole unit suite again
#   4. the fuzz preset (clang + libFuzzer): each fuzz target for FLEETSCOPE_FUZZ_SECONDS (default 60)
# Options: --quick runs stage 1 only; --stages=main,package,asan,fuzz picks stages.
# Needs no display (Qt runs offscreen).
# Exit status: 0 when every stage passed.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

stages=main,package,asan,fuzz
for arg in "$@"; do
    case $arg in
        --quick) stages=main ;;
        --stages=*) stages=${arg#--stages=} ;;
        -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "run-tests.sh: unknown option '$arg'" >&2; exit 2 ;;
    esac
done

packaging/install-deps.sh || { echo "run-tests.sh: installing dependencies failed" >&2; exit 2; }

export QT_QPA_PLATFORM=offscreen
export CTEST_OUTPUT_ON_FAILURE=1
export CMAKE_BUILD_PARALLEL_LEVEL=${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc)}
fuzz_seconds=${FLEETSCOPE_FUZZ_SECONDS:-60}
log=$(mktemp "${TMPDIR:-/tmp}/fleetscope-tests.XXXXXX")
trap 'rm -f "$log"' EXIT

passed=0 failed=0 status=0
declare -a summary
stage() { # name configure-preset [ctest args...]
    local name=$1 preset=$2; shift 2
    local t0=$SECONDS
    echo "== $name: configure and build ($preset preset)"
    if ! cmake --preset "$preset" "${extra_cmake[@]}" >"$log" 2>&1; then
        tail -n 40 "$log"; summary+=("$name: configure FAILED"); status=1; return
    fi
    cmake --build --preset "$preset" >"$log" 2>&1
    local built=$?
    grep -E '(error|warning):' "$log" | head -n 40
    if [[ $built -ne 0 ]]; then
        tail -n 40 "$log"; summary+=("$name: build FAILED"); status=1; return
    fi
    echo "   built in $((SECONDS - t0)) s"
    echo "== $name: test"
    ctest --test-dir "build/$preset" --output-on-failure --no-tests=error "$@" 2>&1 | tee "$log"
    local rc=${PIPESTATUS[0]}
    local line; line=$(grep -E 'tests passed, [0-9]+ tests? failed out of' "$log" | tail -n 1)
    local total; total=$(sed -E 's/.*out of ([0-9]+).*/\1/' <<<"$line")
    local bad; bad=$(sed -E 's/.*passed, ([0-9]+) tests? failed.*/\1/' <<<"$line")
    [[ $total =~ ^[0-9]+$ ]] || { total=0; bad=0; }
    passed=$((passed + total - bad)); failed=$((failed + bad))
    if [[ $rc -ne 0 || $total -eq 0 ]]; then status=1; fi
    summary+=("$name: $((total - bad)) passed, $bad failed ($((SECONDS - t0)) s)")
}

# Formatting is part of the style contract (STYLE.md): every tracked C++ file as .clang-format says.
if command -v clang-format >/dev/null && git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    unformatted=$(git ls-files '*.cpp' '*.h' | xargs clang-format --dry-run 2>&1 | grep -c 'warning:' || true)
    files=$(git ls-files '*.cpp' '*.h' | wc -l)
    if [[ $unformatted -eq 0 ]]; then
        passed=$((passed + 1)); summary+=("format: $files C++ files follow .clang-format")
    else
        failed=$((failed + 1)); status=1
        summary+=("format: FAILED, $unformatted places differ from .clang-format (run clang-format -i)")
    fi
fi

# The packages in a fresh Debian 12 root (root, debootstrap and network; see the header).
package_stage() {
    local t0=$SECONDS why=()
    [[ $(id -u) -eq 0 ]] || why+=("not root")
    command -v debootstrap >/dev/null || why+=("debootstrap is missing")
    [[ -x build/ci/bin/fleetscope ]] || why+=("build/ci has no fleetscope (the main stage failed)")
    if [[ ${#why[@]} -gt 0 ]]; then
        local reason; reason=$(IFS=';'; echo "${why[*]}")
        if [[ ${CI:-} == true ]]; then
            echo "== package: cannot run ($reason), and CI=true requires it"
            failed=$((failed + 1)); status=1; summary+=("package: FAILED, cannot run: $reason")
        else
            echo "== package: SKIPPED ($reason): the .deb test needs root, debootstrap and network"
            summary+=("package: skipped ($reason)")
        fi
        return
    fi
    echo "== package: the .deb installed with apt into a fresh Debian 12 root"
    if tests/packaging/deb-fresh-root.sh build/ci; then
        passed=$((passed + 1)); summary+=("package: passed ($((SECONDS - t0)) s)")
    else
        failed=$((failed + 1)); status=1; summary+=("package: FAILED ($((SECONDS - t0)) s)")
    fi
}

has_stage() { [[ ,$stages, == *,$1,* ]]; }
extra_cmake=()
has_stage main && stage "main" ci
has_stage package && package_stage
if has_stage asan; then
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        stage "asan" asan -LE bench
fi
if has_stage fuzz; then
    extra_cmake=(-DFLEETSCOPE_FUZZ_SECONDS="$fuzz_seconds")
    stage "fuzz" fuzz -L fuzz
fi

echo
echo "== summary"
printf '   %s\n' "${summary[@]}"
echo "$passed passed, $failed failed"
exit $status
