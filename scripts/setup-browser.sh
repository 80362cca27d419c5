#!/usr/bin/env bash
# Debian's Chromium for the browser test (Playwright never downloads one here).
set -euo pipefail
if [[ -x /usr/bin/chromium ]]; then exit 0; fi
sudo=""
[[ $(id -u) == 0 ]] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get install -y --no-install-recommends chromium || { $sudo apt-get update && $sudo apt-get install -y --no-install-recommends chromium; }
