#!/usr/bin/env bash
# Debian's Chromium for the browser test (Playwright never downloads one here), and
# dbus-daemon, which the test runs as the browser's own private bus (tests/browser).
set -euo pipefail
need=()
[[ -x /usr/bin/chromium ]] || need+=(chromium)
[[ -x /usr/bin/dbus-daemon ]] || need+=(dbus-daemon)
(( ${#need[@]} )) || exit 0
sudo=""
[[ $(id -u) == 0 ]] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get install -y --no-install-recommends "${need[@]}" || { $sudo apt-get update && $sudo apt-get install -y --no-install-recommends "${need[@]}"; }
