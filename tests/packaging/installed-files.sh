#!/usr/bin/env bash
# installed-files.sh BUILD_DIR VERSION
#
# Installs the build (cmake --install) into a temporary prefix and checks what a user and a
# desktop get from there:
#   - both programs, and `--version` prints VERSION (project()'s) for each;
#   - the desktop entry passes desktop-file-validate, names an installed program and icon;
#   - the AppStream metadata passes appstreamcli validate, and its newest release is VERSION;
#   - the icon: SVG plus hicolor PNGs whose pixel size matches their folder;
#   - `man fleetscope` and `man fleetsim` render without warnings, with VERSION in the footer, and
#     document every option the programs' --help texts list;
#   - bash completion offers every option the --help texts list.
# Exit status: 0 passed, 1 a check failed, 77 a needed tool is missing (a failure when CI=true).
set -uo pipefail

build=${1:?usage: installed-files.sh BUILD_DIR VERSION}
version=${2:?usage: installed-files.sh BUILD_DIR VERSION}
app_id=org.fleetscope.FleetScope

missing=()
for tool in desktop-file-validate:desktop-file-utils appstreamcli:appstream man:man-db \
    groff:groff-base; do
    command -v "${tool%%:*}" >/dev/null || missing+=("${tool%%:*} (package ${tool#*:})")
done
[[ -f /usr/share/bash-completion/bash_completion ]] ||
    missing+=("/usr/share/bash-completion/bash_completion (package bash-completion)")
if [[ ${#missing[@]} -gt 0 ]]; then
    echo "installed-files: missing ${missing[*]}; packaging/install-deps.sh installs them"
    [[ ${CI:-} == true ]] && exit 1
    exit 77
fi

prefix=$(mktemp -d "${TMPDIR:-/tmp}/fleetscope-install.XXXXXX")
trap 'rm -rf "$prefix"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }

"${CMAKE_COMMAND:-cmake}" --install "$build" --prefix "$prefix" >"$prefix.log" 2>&1 ||
    { cat "$prefix.log"; rm -f "$prefix.log"; echo "FAIL: cmake --install $build"; exit 1; }
echo "installed $(grep -c 'Installing:' "$prefix.log") files into $prefix"
rm -f "$prefix.log"
share=$prefix/share

# Programs and their version.
for prog in fleetscope fleetsim; do
    if [[ ! -x $prefix/bin/$prog ]]; then
        fail "bin/$prog is not installed"
        continue
    fi
    out=$("$prefix/bin/$prog" --version 2>&1)
    [[ $out == "$prog $version" ]] && pass "$prog --version: $out" ||
        fail "$prog --version printed '$out', expected '$prog $version'"
done

# Desktop entry.
desktop=$share/applications/$app_id.desktop
if [[ -f $desktop ]]; then
    if out=$(desktop-file-validate "$desktop" 2>&1) && ! grep -qi 'error' <<<"$out"; then
        pass "desktop-file-validate $app_id.desktop${out:+ (hints: $out)}"
    else
        fail "desktop-file-validate: $out"
    fi
    exec_prog=$(sed -n 's/^Exec=\([^ ]*\).*/\1/p' "$desktop" | head -n1)
    [[ -x $prefix/bin/$exec_prog ]] && pass "Exec=$exec_prog is installed" ||
        fail "Exec=$exec_prog is not in $prefix/bin"
    icon=$(sed -n 's/^Icon=//p' "$desktop")
    [[ -f $share/icons/hicolor/scalable/apps/$icon.svg ]] && pass "Icon=$icon is installed" ||
        fail "Icon=$icon has no share/icons/hicolor/scalable/apps/$icon.svg"
else
    fail "share/applications/$app_id.desktop is not installed"
fi

# AppStream metadata. --no-net: the screenshot URLs name the project's web site, which a test
# must not depend on.
metainfo=$share/metainfo/$app_id.metainfo.xml
if [[ -f $metainfo ]]; then
    if out=$(appstreamcli validate --strict --no-net --explain "$metainfo" 2>&1); then
        pass "appstreamcli validate --strict --no-net $app_id.metainfo.xml"
    else
        fail "appstreamcli validate: $out"
    fi
    newest=$(grep -o '<release version="[^"]*"' "$metainfo" | head -n1 | cut -d'"' -f2)
    [[ $newest == "$version" ]] && pass "newest AppStream release is $newest" ||
        fail "newest AppStream release is '$newest', expected $version"
    grep -q "<launchable type=\"desktop-id\">$app_id.desktop</launchable>" "$metainfo" ||
        fail "the metainfo does not launch $app_id.desktop"
    shots=$(grep -cE '<screenshot[ >]' "$metainfo")
    ((shots >= 2)) && pass "$shots screenshots listed" || fail "$shots screenshots listed, expected 2"
else
    fail "share/metainfo/$app_id.metainfo.xml is not installed"
fi

# Icons: PNG width and height from the IHDR chunk must match the size folder.
png_size() { od -An -tu1 -j16 -N8 "$1" | awk '{print $1*16777216+$2*65536+$3*256+$4 "x" $5*16777216+$6*65536+$7*256+$8}'; }
for size in 16 22 24 32 48 64 128 256; do
    png=$share/icons/hicolor/${size}x${size}/apps/$app_id.png
    if [[ ! -f $png ]]; then
        fail "icon ${size}x${size} is not installed"
    elif [[ $(head -c 8 "$png" | od -An -tx1 | tr -d ' \n') != 89504e470d0a1a0a ]]; then
        fail "$png is not a PNG"
    elif [[ $(png_size "$png") != "${size}x${size}" ]]; then
        fail "$png is $(png_size "$png"), expected ${size}x${size}"
    fi
done
pass "hicolor PNG icons checked (16 to 256)"

# The options a help text lists, one a line (--long and -x forms), read from standard input.
# Not options of ours: curl's --data in fleetsim's control-endpoint example.
options_in() { grep -oE '(^|[ ,[(|])--?[a-z][a-z0-9-]*' | sed 's/^[ ,[(|]//' | grep -vx -- '--data' | sort -u; }
help_of() { "$@" 2>&1; }
declare -A help_options
help_options[fleetscope]=$( (help_of "$prefix/bin/fleetscope" --help
    help_of "$prefix/bin/fleetscope" report --help
    help_of "$prefix/bin/fleetscope" check-metrics --help) | options_in)
help_options[fleetsim]=$(help_of "$prefix/bin/fleetsim" --help | options_in)

# Man pages: `man NAME` finds and renders them from the prefix, without warnings.
for page in fleetscope fleetsim; do
    if [[ ! -f $share/man/man1/$page.1.gz ]]; then
        fail "share/man/man1/$page.1.gz is not installed"
        continue
    fi
    text=$(MANPATH=$share/man MANWIDTH=100 MAN_KEEP_FORMATTING=0 man "$page" 2>"$prefix/man.err" | col -b)
    warnings=$(MANWIDTH=100 man --warnings -l "$share/man/man1/$page.1.gz" 2>&1 >/dev/null)
    if [[ -z $text ]]; then
        fail "man $page rendered nothing: $(cat "$prefix/man.err")"
        continue
    fi
    [[ -z $warnings ]] || fail "man $page: groff warnings: $warnings"
    grep -q "^NAME" <<<"$text" && grep -q "FleetScope $version" <<<"$text" ||
        fail "man $page lacks NAME or the version $version"
    undocumented=()
    for opt in ${help_options[$page]}; do
        grep -qe "$opt\b" <<<"$text" || undocumented+=("$opt")
    done
    if [[ ${#undocumented[@]} -eq 0 ]]; then
        pass "man $page renders ($(wc -l <<<"$text") lines) and documents all $(wc -w <<<"${help_options[$page]}") options of --help"
    else
        fail "man $page does not document ${undocumented[*]}"
    fi
done

# Bash completion: every long option of --help is offered (for report and check-metrics after
# the command word).
complete_words() { # completion-file words... (completes the last word, which may be empty)
    bash -c 'source /usr/share/bash-completion/bash_completion; source "$1"; shift
        COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
        _"${COMP_WORDS[0]}" "${COMP_WORDS[0]}" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
        printf "%s\n" "${COMPREPLY[@]}"' _ "$@"
}
comp=$share/bash-completion/completions
check_completion() { # description expected-options completion-file words...
    local what=$1 expected=$2; shift 2
    local offered absent=()
    offered=$(complete_words "$@")
    for opt in $(grep '^--' <<<"$expected"); do
        grep -qx -- "$opt" <<<"$offered" || absent+=("$opt")
    done
    if [[ ${#absent[@]} -eq 0 && -n $offered ]]; then
        pass "bash completion: $what offers every option of its --help"
    else
        fail "bash completion: $what does not offer ${absent[*]:-anything}"
    fi
}
if [[ -f $comp/fleetscope && -f $comp/fleetsim ]]; then
    # fleetscope's own options: its --help without the Commands section and without
    # --prometheus, which this version refuses ("not built yet").
    check_completion "fleetscope" "$(help_of "$prefix/bin/fleetscope" --help |
        sed '/^Commands:/,/^Options:/d' | options_in | grep -vx -- --prometheus)" \
        "$comp/fleetscope" fleetscope --
    check_completion "fleetscope report" "$(help_of "$prefix/bin/fleetscope" report --help | options_in)" \
        "$comp/fleetscope" fleetscope report --
    check_completion "fleetscope check-metrics" \
        "$(help_of "$prefix/bin/fleetscope" check-metrics --help | options_in)" \
        "$comp/fleetscope" fleetscope check-metrics --
    check_completion "fleetsim" "$(help_of "$prefix/bin/fleetsim" --help | options_in)" \
        "$comp/fleetsim" fleetsim --
    first=$(complete_words "$comp/fleetscope" fleetscope "" | sort | tr '\n' ' ')
    [[ $first == "check-metrics report " ]] && pass "bash completion: commands $first" ||
        fail "bash completion: the first word offers '$first', expected 'check-metrics report'"
else
    fail "bash completion files are not installed in share/bash-completion/completions"
fi

echo "installed-files: $failures failure(s)"
((failures == 0))
