#!/usr/bin/env bash
# Install what the browser and HTML tests need when it is missing (needs root
# for apt): Debian's Chromium, Java and npm's vnu-jar (the Nu Html Checker,
# into .venv/vnu).
set -euo pipefail
cd "$(dirname "$0")/.."
packages=()
[ -x /usr/bin/chromium ] || packages+=(chromium fonts-noto-core)
command -v java >/dev/null || packages+=(default-jre-headless)
command -v npm >/dev/null || packages+=(npm)
if [ ${#packages[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "Missing for the tests: run 'apt-get install ${packages[*]}' as root" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
fi
if [ ! -f .venv/vnu/node_modules/vnu-jar/build/dist/vnu.jar ]; then
  npm install --silent --no-audit --no-fund --ignore-scripts --prefix .venv/vnu vnu-jar@26
fi
