#!/usr/bin/env bash
# deb-fresh-root.sh BUILD_DIR
#
# The packaging acceptance test: builds the .deb from BUILD_DIR (a configured and built tree),
# installs it with apt into a brand-new minimal Debian 12 root, and runs the installed programs
# there:
#   fleetscope --version                                   (must print the project() version)
#   fleetsim --version
#   fleetscope report --demo --duration 5s --out r.json    (a snapshot with regions and targets)
#   fleetscope report --demo --duration 5s --out r.pdf     (a PDF pdfinfo reads; the issue's
#                                                          criterion: needs the PDF export)
# apt has to pull in every runtime package (Qt 6, prometheus-cpp, yaml-cpp) from the package's
# declared dependencies: nothing else is installed in the root.
#
# Needs root, debootstrap and network (the Debian mirror of this machine's apt sources). The
# minimal root made by debootstrap is kept as a tarball in $FLEETSCOPE_ROOT_CACHE (default
# /var/cache/fleetscope-package-test) and reused for a week, so later runs skip debootstrap;
# downloaded .debs are cached there too. Every run unpacks a fresh copy and throws it away.
# Each step is time-bound; the whole run is bounded by $FLEETSCOPE_PACKAGE_TIMEOUT (default 900 s).
# Exit status: 0 every step passed, 1 a step failed, 2 cannot run (not root, no debootstrap...).
set -euo pipefail

build=${1:?usage: deb-fresh-root.sh BUILD_DIR}
build=$(cd "$build" && pwd)
cache=${FLEETSCOPE_ROOT_CACHE:-/var/cache/fleetscope-package-test}
budget=${FLEETSCOPE_PACKAGE_TIMEOUT:-900}
t_start=$SECONDS

say() { echo "deb-fresh-root: $*"; }
die() { say "$*" >&2; exit 2; }
trap 'say "FAIL: line $LINENO: $BASH_COMMAND" >&2' ERR

[[ $(id -u) -eq 0 ]] || die "needs root (debootstrap, chroot, mount)"
command -v debootstrap >/dev/null || die "debootstrap is missing (apt-get install debootstrap)"
command -v pdfinfo >/dev/null || die "pdfinfo is missing (apt-get install poppler-utils)"
command -v python3 >/dev/null || die "python3 is missing (apt-get install python3)"
[[ -f $build/CPackConfig.cmake ]] || die "$build/CPackConfig.cmake is missing: configure the build first"

# The same mirror as this machine's apt sources (as ../shared/tools/fresh-machine-check.sh does).
# (A machine made by debootstrap has only /etc/apt/sources.list: every look-up may find nothing.)
mirror=$(sed -n 's/^URIs:[[:space:]]*\(http[^[:space:]]*\/debian\)[[:space:]]*$/\1/p' \
    /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n1 || true)
[[ -n $mirror ]] || mirror=$(awk '$1=="deb" && $2 ~ /\/debian$/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
[[ -n $mirror ]] || die "no Debian mirror found in /etc/apt/sources.list*"
security=$(sed -n 's/^URIs:[[:space:]]*\(http[^[:space:]]*\/debian-security\)[[:space:]]*$/\1/p' \
    /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n1 || true)
[[ -n $security ]] || security=$(awk '$1=="deb" && $2 ~ /\/debian-security$/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)

# 1. The package, built by CPack from the finished build tree.
say "building the packages (cpack in $build)"
rm -f "$build"/packages/fleetscope_*.deb
(cd "$build" && timeout 600 cpack -G DEB) >"$build/cpack-deb.log" 2>&1 ||
    { tail -n 30 "$build/cpack-deb.log"; say "FAIL: cpack -G DEB"; exit 1; }
deb=$(ls "$build"/packages/fleetscope_*.deb 2>/dev/null | head -n1)
[[ -n $deb ]] || { say "FAIL: cpack made no fleetscope_*.deb in $build/packages"; exit 1; }
say "package: $(basename "$deb") ($(du -k "$deb" | cut -f1) KiB)"
say "declared: $(dpkg-deb -f "$deb" Depends)"
version=$(dpkg-deb -f "$deb" Version)
version=${version%-*}

# 2. A fresh Debian 12 root: unpacked from the cached debootstrap tarball, or made now.
mkdir -p "$cache/debootstrap" "$cache/archives"
base=$cache/bookworm-minbase.tar
if [[ -f $base && -n $(find "$base" -mtime -7 2>/dev/null) ]]; then
    say "reusing the base root $base (made $(date -u -r "$base" +%FT%TZ))"
else
    say "making the base root with debootstrap (minbase, bookworm, $mirror); cached for later runs"
    tmp=$(mktemp -d /tmp/fleetscope-base.XXXXXX)
    if ! timeout 900 debootstrap --variant=minbase --cache-dir="$cache/debootstrap" bookworm \
        "$tmp/root" "$mirror" >"$tmp/debootstrap.log" 2>&1; then
        tail -n 20 "$tmp/debootstrap.log"; rm -rf "$tmp"; die "debootstrap failed"
    fi
    tar -C "$tmp/root" -cf "$base.new" . && mv "$base.new" "$base"
    rm -rf "$tmp"
fi

work=$(mktemp -d /tmp/fleetscope-deb-root.XXXXXX)
root=$work/root
cleanup() {
    for m in var/cache/apt/archives dev/pts dev sys proc; do umount -l "$root/$m" 2>/dev/null || true; done
    # Never delete through a bind mount that is still there (it would reach the host's /dev).
    if grep -q " $root/" /proc/mounts; then
        say "left $work in place: something is still mounted under it" >&2
    else
        rm -rf "$work"
    fi
}
trap cleanup EXIT
mkdir -p "$root"
tar -C "$root" -xf "$base"
{
    echo "deb $mirror bookworm main"
    echo "deb $mirror bookworm-updates main"
    [[ -z $security ]] || echo "deb $security bookworm-security main"
} >"$root/etc/apt/sources.list"
cp /etc/resolv.conf "$root/etc/resolv.conf"
mount -t proc proc "$root/proc"
mount --bind /sys "$root/sys"
mount --bind /dev "$root/dev"
mount --bind /dev/pts "$root/dev/pts"
mkdir -p "$root/var/cache/apt/archives"
mount --bind "$cache/archives" "$root/var/cache/apt/archives"
cp "$deb" "$root/tmp/"

remaining() { echo $((budget - (SECONDS - t_start))); }
in_root() { # seconds command...
    local limit=$1; shift
    local left; left=$(remaining)
    ((left > 0)) || { say "FAIL: out of time (budget ${budget} s)"; exit 1; }
    ((limit < left)) || limit=$left
    timeout --kill-after=10 "$limit" chroot "$root" /usr/bin/env -i HOME=/root \
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
        DEBIAN_FRONTEND=noninteractive bash -c 'cd /tmp && exec "$@"' _ "$@"
}

# 3. apt installs the package and whatever it declares, nothing more.
say "apt-get update and install ./$(basename "$deb") in the fresh root"
t_apt=$SECONDS
in_root 300 apt-get update -q >"$work/apt.log" 2>&1 || { tail -n 20 "$work/apt.log"; say "FAIL: apt-get update"; exit 1; }
in_root 600 apt-get install -y -q "./$(basename "$deb")" >>"$work/apt.log" 2>&1 ||
    { tail -n 30 "$work/apt.log"; say "FAIL: apt-get install ./$(basename "$deb")"; exit 1; }
say "installed with $(grep -c '^Setting up' "$work/apt.log") packages set up in $((SECONDS - t_apt)) s"

failed=0
step() { # description command... (runs in the root; output kept in $work/step.log)
    local what=$1; shift
    if "$@" >"$work/step.log" 2>&1; then
        say "PASS: $what"; sed 's/^/    /' "$work/step.log" | tail -n 3
    else
        failed=1
        say "FAIL: $what"; sed 's/^/    /' "$work/step.log" | tail -n 20
    fi
}
check_version() {
    local out; out=$(in_root 30 "$1" --version)
    echo "$out"
    [[ $out == "$1 $version" ]]
}
check_report() { # extension
    local ext=$1
    in_root 120 fleetscope report --demo --duration 5s --out "r.$ext" || return 1
    local file=$root/tmp/r.$ext
    [[ -s $file ]] || { echo "r.$ext is missing or empty"; return 1; }
    case $ext in
        json) # A snapshot of the demo fleet: 13 regions, 24 nodes, all scraped.
            python3 - "$file" <<'PY' || return 1
import json, sys
d = json.load(open(sys.argv[1]))
assert d.get("format") == "fleetscope-snapshot", "not a fleetscope-snapshot"
regions, targets = len(d.get("regions", [])), len(d.get("targets", []))
print(f"r.json: fleetscope-snapshot v{d.get('version')}, {regions} regions, {targets} targets")
assert regions > 0 and targets > 0, "the report collected no regions or targets"
PY
            ;;
        pdf) # A PDF that poppler reads, with at least one page.
            [[ $(head -c 5 "$file") == %PDF- ]] || { echo "r.pdf does not start with %PDF-"; return 1; }
            local pages; pages=$(pdfinfo "$file" 2>&1 | sed -n 's/^Pages:[[:space:]]*//p')
            echo "r.pdf: ${pages:-no} pages"
            [[ $pages =~ ^[1-9][0-9]*$ ]] || { pdfinfo "$file"; return 1; } ;;
    esac
}
step "fleetscope --version prints 'fleetscope $version'" check_version fleetscope
step "fleetsim --version prints 'fleetsim $version'" check_version fleetsim
step "man page installed (/usr/share/man/man1/fleetscope.1.gz)" test -s "$root/usr/share/man/man1/fleetscope.1.gz"
step "fleetscope report --demo --duration 5s --out r.json" check_report json
step "fleetscope report --demo --duration 5s --out r.pdf" check_report pdf

say "done in $((SECONDS - t_start)) s"
exit $failed
