#!/usr/bin/env bash
# scripts/install-deps.sh — installs the Debian 12 packages Trellis needs, only those missing.
# Idempotent: a no-op when everything is present. Usage: install-deps.sh [build|bench|e2e|ci|all]
#   build  compiler, CMake, libraries, GoogleTest (make test, make demo)
#   bench  build + pandas and Node.js for the peer benchmarks (make bench)
#   e2e    build + Chromium and Node.js for the browser tests (make test)
#   ci     build + a PostgreSQL server, which .ci/run starts for the contract tests
set -euo pipefail

what="${1:-build}"
build_pkgs=(g++ cmake ninja-build ccache pkg-config make
  libsqlite3-dev nlohmann-json3-dev libcli11-dev libgtest-dev libgmock-dev libbenchmark-dev
  libsodium-dev libboost-dev libcurl4-openssl-dev libpq-dev uuid-dev libkainjow-mustache-dev
  python3 python3-aiosmtpd libxlsxwriter-dev libtomlplusplus-dev libfmt-dev)
bench_pkgs=(python3 python3-pandas)
e2e_pkgs=(chromium poppler-utils)
ci_pkgs=(postgresql)

pkgs=("${build_pkgs[@]}")
case "$what" in
  build) ;;
  bench) pkgs+=("${bench_pkgs[@]}") ;;
  e2e) pkgs+=("${e2e_pkgs[@]}") ;;
  ci) pkgs+=("${ci_pkgs[@]}") ;;
  all) pkgs+=("${bench_pkgs[@]}" "${e2e_pkgs[@]}" "${ci_pkgs[@]}") ;;
  *) echo "usage: $0 [build|bench|e2e|ci|all]" >&2; exit 1 ;;
esac

missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# Node.js: any node ≥ 18 on PATH will do for the benchmarks and browser tests; otherwise Debian's.
if [[ "$what" == bench || "$what" == e2e || "$what" == all ]] && ! command -v npm >/dev/null 2>&1; then
  missing+=(nodejs npm)
fi

if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  sudo_cmd=()
  if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
