#!/usr/bin/env bash
# install-deps.sh - install every Debian 12 package FleetScope needs to build,
# test, benchmark and fuzz. Idempotent and quick when everything is present:
# it asks dpkg first and only calls apt-get for what is missing.
# Works as root, or through sudo for other users.
set -euo pipefail

packages=(
  # build
  build-essential cmake ninja-build pkg-config git ca-certificates
  qt6-base-dev qt6-base-dev-tools qt6-charts-dev qt6-svg-dev libgl-dev
  libqt6opengl6-dev  # Qt6Charts' CMake package needs Qt6OpenGL (not pulled in without recommends)
  prometheus-cpp-dev libyaml-cpp-dev zlib1g-dev
  # tests, fuzzing, sanitizers, benchmarks
  libbenchmark-dev clang clang-format libclang-rt-14-dev libfuzzer-14-dev
  locales python3 python3-prometheus-client prometheus
  openssl   # tests/scrape makes a self-signed certificate for its TLS server
  xvfb xauth poppler-utils
  # packaging: .deb dependencies (dpkg-shlibdeps, and CPack needs file for it), checks of the
  # installed files (tests/packaging), the .deb in a fresh Debian 12 root (debootstrap)
  dpkg-dev file desktop-file-utils appstream man-db groff-base bash-completion debootstrap
  # peers for the side-by-side benchmark (../shared/peers/install.sh needs them)
  golang-go golang-github-prometheus-common-dev golang-github-prometheus-client-model-dev
  golang-github-golang-protobuf-1-5-dev golang-github-victoriametrics-victoriametrics-dev
  golang-github-victoriametrics-metrics-dev golang-github-valyala-fastjson-dev
  golang-github-victoriametrics-metricsql-dev
)

missing=()
for p in "${packages[@]}"; do
  if [[ "$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null)" != installed ]]; then
    missing+=("$p")
  fi
done

as_root=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "install-deps: not root and no sudo; install: ${missing[*]:-nothing}" >&2; exit 2; }
  as_root=(sudo)
fi

if [[ ${#missing[@]} -gt 0 ]]; then
  echo "install-deps: installing ${#missing[@]} package(s): ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  if ! "${as_root[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"; then
    "${as_root[@]}" apt-get update -q
    "${as_root[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
  fi
fi

# Tests prove numbers do not depend on the locale: make sure de_DE.UTF-8 exists.
if ! locale -a 2>/dev/null | grep -qi '^de_DE\.utf-\?8$'; then
  echo "install-deps: generating the de_DE.UTF-8 locale"
  if [[ -f /etc/locale.gen ]] && ! grep -q '^de_DE.UTF-8 UTF-8' /etc/locale.gen; then
    echo 'de_DE.UTF-8 UTF-8' | "${as_root[@]}" tee -a /etc/locale.gen >/dev/null
  fi
  "${as_root[@]}" locale-gen >/dev/null
fi
echo "install-deps: all packages present"
