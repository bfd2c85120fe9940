#!/usr/bin/env bash
# check-no-gui.sh BINARY... - fails if a binary needs a Qt GUI library, directly or through
# the libraries it loads.
set -euo pipefail
status=0
for bin in "$@"; do
    libs=$(ldd "$bin" | awk '{print $1}')
    bad=$(grep -E 'libQt6(Gui|Widgets|Charts|Svg|OpenGL)' <<<"$libs" || true)
    if [[ -n $bad ]]; then
        echo "FAIL: $bin (collectors only) loads GUI libraries:"; echo "$bad"; status=1
    else
        echo "ok: $bin loads no Qt GUI library ($(grep -c libQt6 <<<"$libs") Qt libraries: $(grep -o 'libQt6[A-Za-z]*' <<<"$libs" | tr '\n' ' '))"
    fi
done
exit $status
