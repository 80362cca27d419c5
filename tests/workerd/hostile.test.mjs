// The caller-object cases of tests/hostile inside workerd (tests/workerd/hostile, bundled by
// wrangler as a deploy would): each case LOOPS times in one isolate, every call a WxpayError
// with its code (never a raw throw, never pending), then a health check in the same isolate:
// the seed GET on a client made before the case (verified by the sandbox), a signature equal
// to node:crypto's, and the seed GET on a new client.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { startSandbox, CARD_ID } from '../sandbox/index.mjs';
import { bundle, secretsFor, start } from './harness.mjs';

const CODE = '300000001';
const LOOPS = Number(process.env.HOSTILE_LOOPS ?? 2500);
const PARAM = 'rejected WxpayError ERR_INVALID_PARAM';
const CONFIG = 'threw WxpayError ERR_INVALID_CONFIG';
const NETWORK = 'rejected WxpayError ERR_NETWORK';
const CASES = {
  'config-params-getter': PARAM, 'params-getter': PARAM, 'params-ownKeys': PARAM, 'headers-getter': PARAM,
  'headers-get-trap': PARAM, 'config-revoked': PARAM, 'body-toJSON': PARAM, 'body-cyclic': PARAM, 'body-detached': PARAM,
  'options-certs-getter': CONFIG, 'certs-entry-getter': CONFIG, 'options-ownKeys': CONFIG,
  'parse-headers-getter': PARAM, 'parse-headers-get-throws': PARAM, 'sign-detached': PARAM,
  'fetch-null': NETWORK, 'fetch-status-getter': NETWORK,
};

describe('hostile caller objects inside workerd', () => {
  let sb, mf;
  before(async () => {
    sb = await startSandbox({});
    const { outdir } = await bundle('tests/workerd/hostile/wrangler.toml', 'hostile');
    mf = start(outdir, { ...secretsFor(sb), WXPAY_CERTS: JSON.stringify(sb.certs), CARD_ID, CODE });
  });
  after(async () => {
    await mf?.dispose();
    await sb?.close();
  });

  async function health(label) {
    const message = `health ${label} 中文 ${crypto.randomUUID()}`;
    const before = sb.requests.length;
    const res = await mf.dispatchFetch('http://hostile/health', { method: 'POST', body: message });
    assert.equal(res.status, 200, `${label}: the Worker answered ${res.status}`);
    const r = await res.json();
    assert.deepEqual(r.seed, { status: 200, code: CODE }, `${label}: seed GET on the earlier client`);
    assert.equal(r.signature, crypto.sign('sha256', Buffer.from(message), sb.merchant.privateKeyPkcs8).toString('base64'), `${label}: signature`);
    assert.deepEqual(r.fresh, { status: 200, code: CODE }, `${label}: seed GET on a new client`);
    const seen = sb.requests.slice(before);
    assert.equal(seen.length, 2);
    assert.ok(seen.every((s) => s.verified), `${label}: the sandbox verified both GETs`);
  }

  test('baseline: the health check passes', () => health('baseline'));

  for (const [name, expected] of Object.entries(CASES)) {
    test(`${name}: ${LOOPS} calls, each "${expected}"`, async () => {
      const res = await mf.dispatchFetch(`http://hostile/case?name=${name}&n=${LOOPS}`);
      const text = await res.text();
      assert.equal(res.status, 200, `the Worker answered ${res.status}: ${text.slice(0, 300)}`);
      const { outcomes, first } = JSON.parse(text);
      const wrong = Object.entries(outcomes).filter(([o]) => o !== expected).map(([o, n]) => `${n}× ${o} (first at call #${first[o]})`);
      assert.deepEqual(wrong, [], `${name}`);
      assert.equal(outcomes[expected], LOOPS);
      await health(name);
    });
  }
});
