#!/usr/bin/env bash
# The main job, against a local sandbox: start it with fresh keys, run the
# Node example (GET the card, PATCH it, GET it again), stop it.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=.work/demo
rm -rf "$dir" && mkdir -p "$dir"
node tests/sandbox/cli.mjs --out "$dir" 2> "$dir/sandbox.log" &
sandbox=$!
trap 'kill $sandbox 2>/dev/null; wait $sandbox 2>/dev/null || true' EXIT
for _ in $(seq 100); do [[ -f "$dir/sandbox.json" ]] && break; sleep 0.1; done
[[ -f "$dir/sandbox.json" ]] || { echo "sandbox did not start:" >&2; cat "$dir/sandbox.log" >&2; exit 1; }

# Hand the example its keys the way a deployment would: files and environment.
node -e '
  const fs = require("fs"); const s = require(process.argv[1]); const d = process.argv[2];
  fs.writeFileSync(d + "/apiclient_key.pem", s.merchant.privateKeyPkcs8);
  fs.writeFileSync(d + "/wechatpay_platform.pem", s.platform.certificate);
  fs.writeFileSync(d + "/env", [
    "WXPAY_MCHID=" + s.mchid, "WXPAY_SERIAL=" + s.merchant.serial,
    "WXPAY_PRIVATE_KEY_FILE=" + d + "/apiclient_key.pem",
    "WXPAY_PLATFORM_SERIAL=" + s.platform.serial, "WXPAY_PLATFORM_CERT_FILE=" + d + "/wechatpay_platform.pem",
    "WXPAY_BASE_URL=" + s.baseURL, ""].join("\n"));
' "$PWD/$dir/sandbox.json" "$PWD/$dir"
set -a; . "$dir/env"; set +a
node examples/node/index.mjs pY7xGs0sMdNN9PVCvtJNl-6DJdIY 300000001
echo
echo "sandbox log:"; cat "$dir/sandbox.log"
