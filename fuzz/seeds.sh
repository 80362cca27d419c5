#!/usr/bin/env bash
# Writes the committed seed corpus, fuzz/seeds/<target>/, from tests/fixtures.
# Run from anywhere: bash fuzz/seeds.sh
set -euo pipefail
cd "$(dirname "$0")"
fx=../tests/fixtures
# Inputs that once crashed a target (crash-*) are kept beside these.
mkdir -p seeds
s() { mkdir -p "seeds/$1"; cat > "seeds/$1/$2"; }
der() { grep -v -- ----- "$fx/$1" | tr -d '\n' | base64 -d; }

for k in merchant_key.pkcs8 merchant_key.pkcs1; do
  s private_key "$k.pem" < "$fx/$k.pem"
  der "$k.pem" | s private_key "$k.der"
done
awk 'BEGIN{ORS="\\n"} {print}' "$fx/merchant_key.pkcs8.pem" | s private_key escaped-newlines.txt
grep -v -- ----- "$fx/merchant_key.pkcs1.pem" | s private_key bare-base64.txt

for k in platform_pub platform_pub.pkcs1 platform_cert; do
  s public_key "$k.pem" < "$fx/$k.pem"
  der "$k.pem" | s public_key "$k.der"
done
sed 's/$/\r/' "$fx/platform_cert.pem" | s public_key crlf.pem

s pem merchant_key.pkcs8.pem < "$fx/merchant_key.pkcs8.pem"
s pem platform_pub.pkcs1.pem < "$fx/platform_pub.pkcs1.pem"
printf 'junk before\n-----BEGIN X-----\nMAMCAQE=\n-----END X-----\n' | s pem short.pem
printf -- '-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nMAMCAQE=\n-----END RSA PRIVATE KEY-----\n' | s pem headers.pem

s json notify_body.json < "$fx/notify_body.json"
s json answer_body.json < "$fx/answer_body.json"
s json notify_resource.json < "$fx/notify_resource.json"
printf '{"id":"\\ud83c\\udf89","resource":{"nonce":null},"a":[1.5e+3,-0,true,false,null,{}],"id":"x"}' | s json escapes.json

s notify notify_body.json < "$fx/notify_body.json"
s notify notify_resource.json < "$fx/notify_resource.json"
printf '[]' | s notify array.json

printf 'fJuvB2bXpKdU\377transaction\377' | s aead twelve-byte-nonce
cat "$fx/notify_resource.json" | { printf 'fJuvB2bXpKdU\377transaction\377'; cat; } | s aead resource
printf '0123456789abcdef\377world\377hello' | s aead sixteen-byte-nonce

printf 'v3/marketing/membercard-open/cards/{card_id}/codes/{code}\377pY7xGs0sMdNN9PVCvtJNl-6DJdIY\377a b/c?\303\251' | s path seed-template
printf 'v3/bill/trade bill/%%2Fx/%%zz{}/x{\377..' | s path literals
printf 'v3/{a}/{b}/../{c}\377.\377%%2e\377' | s path dots

printf 'https://api.mch.weixin.qq.com/\377offset\3770\377a b\377c&d=\303\251' | s url default
printf 'http://127.0.0.1:8080/proxy\377lang\377zh_CN' | s url prefix
printf 'https://[::1]:443/a/%%2e/\377' | s url ipv6

printf '1900000109\377408B07E79B8269FEC3D5D3E6AB8ED163A6A380DB\377/v3/certificates\377' | s request get
{ printf '1900000109\377408B07E79B8269FEC3D5D3E6AB8ED163A6A380DB\377'; head -2 "$fx/request_patch.txt" | tail -1 | tr -d '\n'; printf '\377'; tail -1 "$fx/request_patch.txt"; } | s request patch

printf '' | s response unchanged
printf '\000\000\003\001' | s response timestamp-digit
printf '\003\000\000\040' | s response serial-case
printf '\004\000\012\001\011\000\000A\016\000\000\000' | s response body-edits

printf '' | s base64 empty
tr -d '\n' < "$fx/answer_body.sig" | s base64 signature
printf 'MAMCAQE=' | s base64 short

printf ' 1900000109 \377PUB_KEY_ID_0119000001092019040200000000000001\377%s\377wxpayWasmTestApiV3Key0123456789a\377' "$(tr -d '\n' < "$fx/platform_cert.pem" | head -c 64)" | s config options
printf '\000\000\000\000\000\100\217\100\377%s' "$(tr 'A-F' 'a-f' <<< 5157F04E6C9A5E7A5B6A1C2F3E4D5C6B7A8F9E01)" | s config timeout-and-serial

du -sh seeds/* | sed 's|seeds/||'
