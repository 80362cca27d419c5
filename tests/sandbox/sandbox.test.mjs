// Tests of the sandbox itself, driven by a tiny independent client written here on
// node:crypto + fetch (so a sandbox bug cannot hide behind the same bug in a shared helper).
import { test, describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { startSandbox, NOTIFY_MODES, decryptResource } from './index.mjs';

const CARD = 'pY7xGs0sMdNN9PVCvtJNl-6DJdIY';
const CODE_PATH = `/v3/marketing/membercard-open/cards/${CARD}/codes/300000001`;
const ODD_CODE = 'a b/c?é';
const ODD_PATH = `/v3/marketing/membercard-open/cards/${CARD}/codes/a%20b%2Fc%3F%C3%A9`;

// ---- the tiny client ----
const now = () => Math.floor(Date.now() / 1000);
const nonce = () => crypto.randomBytes(24).toString('base64').replace(/[+/]/g, 'x').slice(0, 32);

function authorization(sb, method, url, body, o = {}) {
  const ts = o.timestamp ?? String(now());
  const n = o.nonce ?? nonce();
  const message = Buffer.concat([Buffer.from(`${method}\n${url}\n${ts}\n${n}\n`), body, Buffer.from('\n')]);
  const sig = o.signature ?? crypto.sign('sha256', message, o.key ?? sb.merchant.privateKeyPkcs8).toString('base64');
  const f = { mchid: o.mchid ?? sb.mchid, serial_no: o.serial ?? sb.merchant.serial, timestamp: ts, nonce_str: n, signature: sig };
  const order = o.order ?? ['mchid', 'serial_no', 'timestamp', 'nonce_str', 'signature'];
  return `WECHATPAY2-SHA256-RSA2048 ${order.map((k) => `${k}="${f[k]}"`).join(o.sep ?? ',')}`;
}

async function call(sb, method, url, { body, headers = {}, sign = {}, signedBody, signal } = {}) {
  const buf = body === undefined ? Buffer.alloc(0) : Buffer.from(body);
  const res = await fetch(sb.baseURL.slice(0, -1) + url, {
    method, signal,
    body: buf.length ? buf : undefined,
    headers: {
      accept: 'application/json',
      ...(buf.length ? { 'content-type': 'application/json' } : {}),
      authorization: authorization(sb, method, url, signedBody ? Buffer.from(signedBody) : buf, sign),
      ...headers,
    },
  });
  const raw = Buffer.from(await res.arrayBuffer());
  let json;
  try { json = JSON.parse(raw.toString('utf8')); } catch {}
  return { status: res.status, headers: Object.fromEntries(res.headers), raw, json };
}

// What a correct client must do with an answer: every check of protocol.md, in order.
function verifyAnswer(sb, { headers: h, raw }) {
  const [ts, n, sig, serial] = ['wechatpay-timestamp', 'wechatpay-nonce', 'wechatpay-signature', 'wechatpay-serial'].map((k) => h[k]);
  if (ts === undefined || n === undefined || sig === undefined || serial === undefined) return 'missing header';
  const key = serial === sb.platform.serial ? new crypto.X509Certificate(sb.platform.certificate).publicKey
    : serial === sb.pubkey.id ? crypto.createPublicKey(sb.pubkey.publicKeySpki) : null;
  if (!key) return 'unknown serial';
  if (!/^\d+$/.test(ts)) return 'bad timestamp';
  if (Math.abs(now() - Number(ts)) > 300) return 'timestamp out of window';
  const message = Buffer.concat([Buffer.from(`${ts}\n${n}\n`), raw, Buffer.from('\n')]);
  return crypto.verify('sha256', message, key, Buffer.from(sig, 'base64')) ? 'ok' : 'bad signature';
}

// node's fetch will not send an Origin header of our choosing, so CORS goes through http.
function rawRequest(sb, method, url, headers) {
  return new Promise((resolve, reject) => {
    const req = http.request(sb.baseURL.slice(0, -1) + url, { method, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

let sb;
before(async () => { sb = await startSandbox({ mchid: '1900000109', cors: 'http://app.example' }); });
after(() => sb.close());
beforeEach(() => { sb.reset(); sb.answerKey = 'platform'; });

describe('keys and certificate', () => {
  test('shape of the exposed keys', () => {
    assert.match(sb.baseURL, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    assert.match(sb.merchant.serial, /^[1-7][0-9A-F]{39}$/);
    assert.match(sb.platform.serial, /^[1-7][0-9A-F]{39}$/);
    assert.match(sb.pubkey.id, /^PUB_KEY_ID_\d{34}$/);
    assert.match(sb.merchant.privateKeyPkcs8, /^-----BEGIN PRIVATE KEY-----\n/);
    assert.match(sb.merchant.privateKeyPkcs1, /^-----BEGIN RSA PRIVATE KEY-----\n/);
    assert.match(sb.merchant.publicKeySpki, /^-----BEGIN PUBLIC KEY-----\n/);
    assert.match(sb.merchant.publicKeyPkcs1, /^-----BEGIN RSA PUBLIC KEY-----\n/);
    assert.deepEqual(sb.certs, { [sb.platform.serial]: sb.platform.certificate, [sb.pubkey.id]: sb.pubkey.publicKeySpki });
    const k = crypto.createPublicKey(sb.pubkey.publicKeySpki);
    assert.equal(k.asymmetricKeyDetails.modulusLength, 2048);
    assert.equal(k.asymmetricKeyDetails.publicExponent, 65537n);
    assert.notEqual(sb.pubkey.publicKeySpki, sb.platform.publicKeySpki);
    assert.notEqual(sb.merchant.publicKeySpki, sb.platform.publicKeySpki);
  });

  test('platform certificate parses and matches the platform key and serial', () => {
    const cert = new crypto.X509Certificate(sb.platform.certificate);
    assert.equal(cert.serialNumber, sb.platform.serial);
    assert.equal(cert.publicKey.export({ type: 'spki', format: 'pem' }), sb.platform.publicKeySpki);
    assert.ok(cert.verify(cert.publicKey), 'self-signature verifies');
    assert.ok(new Date(cert.validFrom) < new Date() && new Date() < new Date(cert.validTo));
    assert.equal(crypto.createPublicKey(sb.platform.publicKeyPkcs1).export({ type: 'spki', format: 'pem' }), sb.platform.publicKeySpki);
  });

  test('pre-made keys are reused', async () => {
    const { mchid, merchant, platform, pubkey } = sb;
    const again = await startSandbox({ keys: { mchid, merchant, platform, pubkey } });
    try {
      assert.equal(again.mchid, mchid);
      assert.equal(again.platform.certificate, platform.certificate);
      const r = await call(again, 'GET', CODE_PATH);
      assert.equal(r.status, 200);
      assert.equal(verifyAnswer(sb, r), 'ok');
    } finally { await again.close(); }
  });
});

describe('request verification', () => {
  test('a correctly signed GET succeeds and its answer verifies', async () => {
    const r = await call(sb, 'GET', CODE_PATH);
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
    assert.match(r.headers['request-id'], /^sbx-/);
    assert.equal(r.headers['wechatpay-serial'], sb.platform.serial);
    assert.match(r.headers['wechatpay-nonce'], /^[0-9A-Za-z]{32}$/);
    assert.equal(verifyAnswer(sb, r), 'ok');
    assert.deepEqual(Object.keys(r.json), ['card_id', 'code', 'openid', 'membership_number', 'level', 'nickname',
      'head_image_url', 'background_picture_url', 'balance', 'user_card_status', 'user_information', 'bonus_value']);
    assert.equal(r.json.code, '300000001');
    const [rec] = sb.requests;
    assert.equal(rec.url, CODE_PATH);
    assert.equal(rec.verified, true);
    assert.equal(rec.reason, null);
    assert.equal(rec.status, 200);
    assert.equal(rec.requestId, r.headers['request-id']);
    assert.deepEqual(rec.auth.order, ['mchid', 'serial_no', 'timestamp', 'nonce_str', 'signature']);
  });

  test('percent-encoded path segments are decoded before lookup', async () => {
    const r = await call(sb, 'GET', ODD_PATH);
    assert.equal(r.status, 200);
    assert.equal(r.json.code, ODD_CODE);
    assert.equal(r.json.nickname, '微信用户 🎉');
    assert.equal(r.json.user_information.custom_field_list[0].value_list.length, 2);
    assert.equal(verifyAnswer(sb, r), 'ok');
    // Unencoded, the '/' splits the path and nothing is found.
    const miss = await call(sb, 'GET', `/v3/marketing/membercard-open/cards/${CARD}/codes/a%20b/c`);
    assert.equal(miss.status, 404);
    assert.equal(miss.json.code, 'RESOURCE_NOT_EXISTS');
    assert.equal(verifyAnswer(sb, miss), 'ok', 'errors are signed too');
  });

  test('field order is tolerated and recorded', async () => {
    const order = ['signature', 'nonce_str', 'timestamp', 'serial_no', 'mchid'];
    const r = await call(sb, 'GET', CODE_PATH, { sign: { order } });
    assert.equal(r.status, 200);
    assert.deepEqual(sb.requests[0].auth.order, order);
  });

  const other = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const bad = {
    'wrong signature key': { key: other },
    'wrong mchid': { mchid: '1900000110' },
    'wrong serial_no': { serial: 'ABCDEF'.padEnd(40, '0') },
    'stale timestamp': { timestamp: String(now() - 305) },
    'future timestamp': { timestamp: String(now() + 305) },
    'non-integer timestamp': { timestamp: `${now()}.0` },
    'short nonce': { nonce: 'A'.repeat(31) },
    'nonce with symbols': { nonce: 'A'.repeat(31) + '-' },
    'signature not base64': { signature: 'not base64!' },
    'spaces after commas': { sep: ', ' },
    'a field missing': { order: ['mchid', 'serial_no', 'timestamp', 'nonce_str'] },
  };
  for (const [name, sign] of Object.entries(bad)) {
    test(`401 SIGN_ERROR: ${name}`, async () => {
      const r = await call(sb, 'GET', CODE_PATH, { sign });
      assert.equal(r.status, 401);
      assert.equal(r.json.code, 'SIGN_ERROR');
      assert.equal(typeof r.json.message, 'string');
      assert.match(r.headers['request-id'], /^sbx-/);
      assert.equal(sb.requests[0].verified, false);
      assert.equal(sb.requests[0].reason, r.json.message);
      assert.equal(sb.requests[0].status, 401);
    });
  }

  test('401: missing header, wrong scheme, body differs from the signed one, query not signed', async () => {
    const noAuth = await call(sb, 'GET', CODE_PATH, { headers: { authorization: '' } });
    assert.equal(noAuth.status, 401);
    const scheme = authorization(sb, 'GET', CODE_PATH, Buffer.alloc(0)).replace('WECHATPAY2-SHA256-RSA2048', 'WECHATPAY2-SHA256-RSA');
    assert.equal((await call(sb, 'GET', CODE_PATH, { headers: { authorization: scheme } })).status, 401);
    const body = JSON.stringify({ out_request_no: 'x' });
    const r = await call(sb, 'PATCH', CODE_PATH, { body, signedBody: body.replace('x', 'y') });
    assert.equal(r.status, 401);
    const q = await call(sb, 'GET', '/v3/sandbox/echo?a=1', { headers: { authorization: authorization(sb, 'GET', '/v3/sandbox/echo', Buffer.alloc(0)) } });
    assert.equal(q.status, 401);
    assert.equal(sb.requests.length, 4);
    assert.ok(sb.requests.every((x) => !x.verified && x.reason));
  });

  test('Wechatpay-Serial on a request must name a known key', async () => {
    const r = await call(sb, 'GET', CODE_PATH, { headers: { 'wechatpay-serial': 'ABC' } });
    assert.equal(r.status, 400);
    assert.equal(r.json.code, 'PARAM_ERROR');
    for (const s of [sb.platform.serial, sb.pubkey.id])
      assert.equal((await call(sb, 'GET', CODE_PATH, { headers: { 'wechatpay-serial': s } })).status, 200);
  });

  test('/v3/certificates lists each certificate with its validity; retire() moves its expire_time, reset() undoes it', async () => {
    const list = async () => (await call(sb, 'GET', '/v3/certificates')).json.data;
    const x = new crypto.X509Certificate(sb.platform.certificate);
    const [entry] = await list();
    assert.equal(entry.serial_no, sb.platform.serial);
    assert.equal(new Date(entry.expire_time).getTime(), new Date(x.validTo).getTime());
    assert.match(entry.expire_time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
    const at = new Date('2021-01-01T00:00:00Z');
    sb.retire(sb.platform.serial, at);
    assert.equal((await list())[0].expire_time, '2021-01-01T08:00:00+08:00');
    assert.equal((await list())[0].effective_time, entry.effective_time);
    assert.throws(() => sb.retire('ABC'), TypeError);
    sb.reset();
    assert.equal((await list())[0].expire_time, entry.expire_time);
  });

  test('answerKey = pubkey signs with the WeChat Pay public key', async () => {
    sb.answerKey = 'pubkey';
    const r = await call(sb, 'GET', CODE_PATH);
    assert.equal(r.headers['wechatpay-serial'], sb.pubkey.id);
    assert.equal(verifyAnswer(sb, r), 'ok');
    assert.throws(() => { sb.answerKey = 'nope'; }, TypeError);
  });
});

describe('PATCH member code', () => {
  test('updates state and answers 204 signed over an empty body', async () => {
    const body = JSON.stringify({ out_request_no: 'req-1', level: 'PLATINUM', membership_number: 'M-9',
      background_picture_url: 'https://x/y.png', need_inform_balance: true, need_inform_level: false,
      balance_information: { before_balance: 1000, balance: 1500, add_balance: 500, balance_remark: '充值' } });
    const r = await call(sb, 'PATCH', ODD_PATH, { body });
    assert.equal(r.status, 204);
    assert.equal(r.raw.length, 0);
    assert.equal(r.headers['content-type'], undefined);
    assert.equal(verifyAnswer(sb, r), 'ok');
    const card = sb.cards[CARD][ODD_CODE];
    assert.equal(card.level, 'PLATINUM');
    assert.equal(card.balance, 1500);
    assert.equal(card.membership_number, 'M-9');
    assert.deepEqual(sb.requests[0].body, Buffer.from(body));
    const g = await call(sb, 'GET', ODD_PATH);
    assert.equal(g.json.balance, 1500);
    sb.reset();
    assert.equal(sb.cards[CARD][ODD_CODE].balance, 0, 'reset restores the seed');
    assert.equal(sb.requests.length, 0);
  });

  const invalid = {
    'out_request_no missing': [{ level: 'A' }, 'out_request_no'],
    'out_request_no empty': [{ out_request_no: '' }, 'out_request_no'],
    'level not a string': [{ out_request_no: 'r', level: 3 }, 'level'],
    'balance not an integer': [{ out_request_no: 'r', balance_information: { before_balance: 1, balance: 1.5, add_balance: 0 } }, 'balance_information.balance'],
    'balance_remark not a string': [{ out_request_no: 'r', balance_information: { before_balance: 1, balance: 1, add_balance: 0, balance_remark: 1 } }, 'balance_information.balance_remark'],
    'need_inform_level not a boolean': [{ out_request_no: 'r', need_inform_level: 'yes' }, 'need_inform_level'],
  };
  for (const [name, [data, field]] of Object.entries(invalid)) {
    test(`400 PARAM_ERROR: ${name}`, async () => {
      const r = await call(sb, 'PATCH', CODE_PATH, { body: JSON.stringify(data) });
      assert.equal(r.status, 400);
      assert.equal(r.json.code, 'PARAM_ERROR');
      assert.deepEqual(r.json.detail, { field, location: 'body' });
      assert.ok(r.json.message.includes(field));
      assert.equal(r.headers['content-type'], 'application/json');
      assert.equal(verifyAnswer(sb, r), 'ok');
    });
  }

  test('400 for invalid JSON and for a non-JSON content type; 404 for an unknown code', async () => {
    assert.equal((await call(sb, 'PATCH', CODE_PATH, { body: '{"out_request_no":' })).json.code, 'PARAM_ERROR');
    const t = await call(sb, 'PATCH', CODE_PATH, { body: '{"out_request_no":"r"}', headers: { 'content-type': 'text/plain' } });
    assert.equal(t.status, 400);
    const u = await call(sb, 'PATCH', CODE_PATH.replace('300000001', '999'), { body: '{"out_request_no":"r"}' });
    assert.equal(u.status, 404);
    assert.equal(u.json.code, 'RESOURCE_NOT_EXISTS');
  });
});

describe('diagnostic routes', () => {
  test('echo returns method, raw url, query, raw body and headers', async () => {
    const url = '/v3/sandbox/echo/deep/p%C3%A9?b=2&a=%E4%B8%AD&a=x';
    const body = '{"k":"é"}';
    const r = await call(sb, 'POST', url, { body });
    assert.equal(r.status, 200);
    assert.equal(verifyAnswer(sb, r), 'ok');
    assert.equal(r.json.method, 'POST');
    assert.equal(r.json.url, url);
    assert.deepEqual(r.json.query, { b: '2', a: ['中', 'x'] });
    assert.equal(r.json.body, body);
    assert.equal(r.json.headers['content-type'], 'application/json');
    for (const m of ['GET', 'PUT', 'PATCH', 'DELETE'])
      assert.equal((await call(sb, m, '/v3/sandbox/echo')).json.method, m);
  });

  test('status route answers the asked status with an error body', async () => {
    const expect = { 400: 'PARAM_ERROR', 401: 'SIGN_ERROR', 403: 'NO_AUTH', 404: 'RESOURCE_NOT_EXISTS',
      429: 'RATELIMIT_EXCEEDED', 500: 'SYSTEM_ERROR', 502: 'SERVICE_UNAVAILABLE', 503: 'SERVICE_UNAVAILABLE' };
    for (const [status, code] of Object.entries(expect)) {
      const r = await call(sb, 'GET', `/v3/sandbox/status/${status}`);
      assert.equal(r.status, Number(status));
      assert.equal(r.json.code, code);
      assert.deepEqual(r.json.detail, { field: 'x', value: 'y', issue: 'z', location: 'body' });
      assert.match(r.headers['request-id'], /^sbx-/);
    }
    const e = await call(sb, 'GET', '/v3/sandbox/status/204');
    assert.equal(e.status, 204);
    assert.equal(verifyAnswer(sb, e), 'ok');
    const h = await call(sb, 'GET', '/v3/sandbox/status/502-html');
    assert.equal(h.status, 502);
    assert.match(h.headers['content-type'], /^text\/html/);
    assert.equal(h.json, undefined);
    assert.match(h.headers['request-id'], /^sbx-/);
  });

  test('unknown /v3 paths are 404 RESOURCE_NOT_EXISTS', async () => {
    const r = await call(sb, 'GET', '/v3/nothing/here');
    assert.equal(r.status, 404);
    assert.equal(r.json.code, 'RESOURCE_NOT_EXISTS');
  });

  test('slow answers late, and survives the client going away', async () => {
    const t0 = Date.now();
    const r = await call(sb, 'GET', '/v3/sandbox/slow?ms=200');
    assert.ok(Date.now() - t0 >= 190);
    assert.deepEqual(r.json, { ok: true });
    assert.equal(verifyAnswer(sb, r), 'ok');
    await assert.rejects(call(sb, 'GET', '/v3/sandbox/slow?ms=2000', { signal: AbortSignal.timeout(100) }));
    await new Promise((res) => setTimeout(res, 50));
    assert.equal(sb.requests.at(-1).aborted, true);
    assert.equal((await call(sb, 'GET', CODE_PATH)).status, 200);
  });
});

describe('misbehaviour', () => {
  const expectations = {
    forged: (r) => assert.equal(verifyAnswer(sb, r), 'bad signature'),
    tampered: (r) => { assert.equal(verifyAnswer(sb, r), 'bad signature'); assert.ok(r.json, 'still valid JSON'); },
    stale: (r) => {
      assert.ok(now() - Number(r.headers['wechatpay-timestamp']) > 300);
      assert.equal(verifyAnswer(sb, r), 'timestamp out of window');
      // Only the timestamp is wrong: the signature over it is good.
      const msg = Buffer.concat([Buffer.from(`${r.headers['wechatpay-timestamp']}\n${r.headers['wechatpay-nonce']}\n`), r.raw, Buffer.from('\n')]);
      assert.ok(crypto.verify('sha256', msg, sb.platform.publicKeySpki, Buffer.from(r.headers['wechatpay-signature'], 'base64')));
    },
    future: (r) => {
      assert.ok(Number(r.headers['wechatpay-timestamp']) - now() > 300);
      assert.equal(verifyAnswer(sb, r), 'timestamp out of window');
    },
    'bad-timestamp': (r) => assert.equal(verifyAnswer(sb, r), 'bad timestamp'),
    'decimal-timestamp': (r) => {
      assert.match(r.headers['wechatpay-timestamp'], /^\d+\.0$/);
      assert.equal(verifyAnswer(sb, r), 'bad timestamp');
    },
    'unknown-serial': (r) => {
      assert.match(r.headers['wechatpay-serial'], /^[0-9A-F]{40}$/);
      assert.equal(verifyAnswer(sb, r), 'unknown serial');
    },
    unsigned: (r) => {
      for (const h of ['timestamp', 'nonce', 'signature', 'serial']) assert.equal(r.headers[`wechatpay-${h}`], undefined);
      assert.equal(verifyAnswer(sb, r), 'missing header');
    },
    signtest: (r) => {
      assert.match(r.headers['wechatpay-signature'], /^WECHATPAY\/SIGNTEST\//);
      assert.equal(verifyAnswer(sb, r), 'bad signature');
    },
    'error-500': (r) => { assert.equal(r.status, 500); assert.equal(r.json.code, 'SYSTEM_ERROR'); },
  };
  for (const h of ['nonce', 'signature', 'timestamp', 'serial']) {
    expectations[`missing-${h}`] = (r) => {
      assert.equal(r.headers[`wechatpay-${h}`], undefined);
      for (const o of ['timestamp', 'nonce', 'signature', 'serial'].filter((x) => x !== h)) assert.ok(r.headers[`wechatpay-${o}`]);
      assert.equal(verifyAnswer(sb, r), 'missing header');
    };
  }

  for (const [mode, check] of Object.entries(expectations)) {
    test(mode, async () => {
      sb.misbehave(mode);
      const r = await call(sb, 'GET', CODE_PATH);
      assert.match(r.headers['request-id'], /^sbx-/);
      check(r);
      assert.equal(sb.requests[0].misbehaviour, mode);
      const next = await call(sb, 'GET', CODE_PATH);
      assert.equal(verifyAnswer(sb, next), 'ok', 'count 1 means only one answer');
    });
  }

  test('tampered on a 204 sends "{}" signed over nothing', async () => {
    sb.misbehave('tampered');
    const r = await call(sb, 'PATCH', CODE_PATH, { body: '{"out_request_no":"r"}' });
    assert.equal(r.raw.toString(), '{}');
    assert.equal(verifyAnswer(sb, r), 'bad signature');
    const msg = Buffer.from(`${r.headers['wechatpay-timestamp']}\n${r.headers['wechatpay-nonce']}\n\n`);
    assert.ok(crypto.verify('sha256', msg, sb.platform.publicKeySpki, Buffer.from(r.headers['wechatpay-signature'], 'base64')));
  });

  test('count, queueing, errors do not consume, unknown modes throw', async () => {
    sb.misbehave('stale', 2);
    sb.misbehave('forged');
    assert.equal((await call(sb, 'GET', '/v3/nothing')).status, 404); // not 2xx: untouched
    const got = [];
    for (let i = 0; i < 4; i++) got.push(verifyAnswer(sb, await call(sb, 'GET', CODE_PATH)));
    assert.deepEqual(got, ['timestamp out of window', 'timestamp out of window', 'bad signature', 'ok']);
    assert.throws(() => sb.misbehave('nope'), TypeError);
    assert.throws(() => sb.misbehave('forged', 0), TypeError);
  });

  test('out-of-process control: /__sandbox/misbehave, /requests, /reset', async () => {
    const post = (p, body) => fetch(sb.baseURL + p, { method: 'POST', body: JSON.stringify(body) }).then((r) => r.json());
    assert.equal((await post('__sandbox/misbehave', { mode: 'signtest', count: 1 })).ok, true);
    const r = await call(sb, 'GET', CODE_PATH);
    assert.match(r.headers['wechatpay-signature'], /^WECHATPAY\/SIGNTEST\//);
    const list = await fetch(sb.baseURL + '__sandbox/requests').then((x) => x.json());
    assert.equal(list.length, 1, 'control calls are not recorded');
    assert.equal(list[0].url, CODE_PATH);
    assert.equal(list[0].verified, true);
    await post('__sandbox/reset', {});
    assert.equal(sb.requests.length, 0);
    const bad = await fetch(sb.baseURL + '__sandbox/misbehave', { method: 'POST', body: '{"mode":"nope"}' });
    assert.equal(bad.status, 400);
  });
});

describe('notifications', () => {
  // A merchant written here on node:crypto alone: records what arrives, answers as told.
  let merchant, received, answer;
  before(async () => {
    merchant = http.createServer((req, res) => {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        received.push({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks) });
        res.writeHead(answer.status, answer.body ? { 'content-type': 'application/json' } : {});
        res.end(answer.body);
      });
    });
    await new Promise((resolve) => merchant.listen(0, '127.0.0.1', resolve));
  });
  after(() => new Promise((resolve) => { merchant.close(resolve); merchant.closeAllConnections(); }));
  beforeEach(() => { received = []; answer = { status: 204, body: '' }; });
  const url = () => `http://127.0.0.1:${merchant.address().port}/notify?from=sandbox`;

  // What a correct merchant must do: verify like an answer, then decrypt.
  function judge({ headers, body }) {
    const verdict = verifyAnswer(sb, { headers, raw: body });
    if (verdict !== 'ok') return verdict;
    const r = JSON.parse(body.toString('utf8')).resource;
    try { return decryptResource(sb.apiv3Key, r) && 'ok'; } catch { return 'does not decrypt'; }
  }

  const RESOURCE = { mchid: '1900000109', out_trade_no: 'T-1', trade_state: 'SUCCESS', trade_state_desc: '支付成功 🎉', amount: { total: 100, currency: 'CNY' } };

  test('apiv3Key: 32 characters, fresh per start, kept with keys', async () => {
    assert.match(sb.apiv3Key, /^[0-9A-Za-z]{32}$/);
    const { mchid, merchant: m, platform, pubkey } = sb;
    const fresh = await startSandbox({ keys: { mchid, merchant: m, platform, pubkey } });
    const kept = await startSandbox({ keys: { mchid, merchant: m, platform, pubkey, apiv3Key: sb.apiv3Key } });
    try {
      assert.notEqual(fresh.apiv3Key, sb.apiv3Key);
      assert.equal(kept.apiv3Key, sb.apiv3Key);
    } finally { await fresh.close(); await kept.close(); }
  });

  test('a good notification: POSTed, signed over the exact body, the resource decrypts to what was given', async () => {
    const r = await sb.notify(url(), { event_type: 'TRANSACTION.SUCCESS', resource: RESOURCE });
    assert.equal(r.status, 204);
    assert.equal(r.body, '');
    assert.equal(received.length, 1);
    const got = received[0];
    assert.equal(got.method, 'POST');
    assert.equal(got.url, '/notify?from=sandbox');
    assert.equal(got.headers['content-type'], 'application/json');
    assert.equal(got.headers['wechatpay-serial'], sb.platform.serial);
    assert.equal(got.headers['wechatpay-signature-type'], 'WECHATPAY2-SHA256-RSA2048');
    assert.match(got.headers['request-id'], /^sbx-notify-[0-9a-f]{12}$/);
    assert.deepEqual(got.body, r.sent.body);
    assert.equal(judge(got), 'ok');
    const envelope = JSON.parse(got.body.toString('utf8'));
    assert.deepEqual(Object.keys(envelope), ['id', 'create_time', 'resource_type', 'event_type', 'summary', 'resource']);
    assert.match(envelope.id, /^[0-9a-f-]{36}$/);
    assert.match(envelope.create_time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
    assert.ok(Math.abs(Date.parse(envelope.create_time) - Date.now()) < 5000);
    assert.equal(envelope.resource_type, 'encrypt-resource');
    assert.equal(envelope.event_type, 'TRANSACTION.SUCCESS');
    assert.equal(envelope.summary, '支付成功');
    const { ciphertext, ...meta } = envelope.resource;
    assert.equal(meta.algorithm, 'AEAD_AES_256_GCM');
    assert.equal(meta.associated_data, 'transaction');
    assert.equal(meta.original_type, 'transaction');
    assert.match(meta.nonce, /^[0-9A-Za-z]{12}$/);
    assert.deepEqual(JSON.parse(decryptResource(sb.apiv3Key, envelope.resource)), RESOURCE);
    assert.equal(r.sent.plaintext, JSON.stringify(RESOURCE));
    assert.deepEqual(sb.notifications, [{ url: url(), event_type: 'TRANSACTION.SUCCESS', mode: null, id: envelope.id, status: 204, body: '' }]);
  });

  test('the merchant answer is returned as is', async () => {
    answer = { status: 500, body: '{"code":"FAIL","message":"失败"}' };
    const r = await sb.notify(url(), { event_type: 'MEMBERCARDSP.USER_CARD.CREATE', resource: { card_id: 'c', user_card_code: '1' } });
    assert.equal(r.status, 500);
    assert.deepEqual(r.json, { code: 'FAIL', message: '失败' });
    assert.equal(r.headers['content-type'], 'application/json');
    assert.equal(JSON.parse(received[0].body).summary, '用户开通会员卡通知');
  });

  test('answerKey = pubkey signs notifications with the WeChat Pay public key', async () => {
    sb.answerKey = 'pubkey';
    await sb.notify(url(), { event_type: 'REFUND.SUCCESS', resource: { a: 1 } });
    assert.equal(received[0].headers['wechatpay-serial'], sb.pubkey.id);
    assert.equal(judge(received[0]), 'ok');
  });

  const verdicts = {
    forged: 'bad signature', tampered: 'bad signature', stale: 'timestamp out of window', future: 'timestamp out of window',
    'bad-timestamp': 'bad timestamp', 'decimal-timestamp': 'bad timestamp', 'unknown-serial': 'unknown serial',
    unsigned: 'missing header', 'missing-nonce': 'missing header', 'missing-signature': 'missing header',
    'missing-timestamp': 'missing header', 'missing-serial': 'missing header', signtest: 'bad signature',
    'wrong-key': 'does not decrypt', corrupted: 'does not decrypt',
  };
  test('every mode is covered here', () => assert.deepEqual(Object.keys(verdicts).sort(), [...NOTIFY_MODES].sort()));
  for (const [mode, verdict] of Object.entries(verdicts)) {
    test(`misbehave ${mode}: ${verdict}`, async () => {
      const r = await sb.notify(url(), { event_type: 'TRANSACTION.SUCCESS', resource: RESOURCE, misbehave: mode });
      assert.equal(r.status, 204, 'the merchant here answers whatever it gets');
      assert.equal(judge(received[0]), verdict);
      assert.equal(sb.notifications[0].mode, mode);
      if (verdict === 'does not decrypt') {
        // Only the encryption is wrong: the signature over the body is good.
        assert.equal(verifyAnswer(sb, { headers: received[0].headers, raw: received[0].body }), 'ok');
      }
    });
  }

  test('notification() builds without sending; bad arguments throw', () => {
    const n = sb.notification({ event_type: 'TRANSACTION.SUCCESS', resource: RESOURCE, id: 'EV-1', summary: 's' });
    assert.equal(received.length, 0);
    assert.equal(n.envelope.id, 'EV-1');
    assert.equal(n.envelope.summary, 's');
    assert.equal(judge({ headers: Object.fromEntries(Object.entries(n.headers).map(([k, v]) => [k.toLowerCase(), v])), body: n.body }), 'ok');
    assert.equal(sb.notification({ event_type: 'TRANSACTION.SUCCESS', resource: RESOURCE }).envelope.summary, '支付成功');
    // summary: null leaves the field out (v3/webhooks does not require it).
    const bare = sb.notification({ event_type: 'TRANSACTION.SUCCESS', resource: RESOURCE, summary: null });
    assert.deepEqual(Object.keys(JSON.parse(bare.body)), ['id', 'create_time', 'resource_type', 'event_type', 'resource']);
    assert.equal(judge({ headers: Object.fromEntries(Object.entries(bare.headers).map(([k, v]) => [k.toLowerCase(), v])), body: bare.body }), 'ok');
    assert.throws(() => sb.notification({ event_type: 'X', resource: {}, misbehave: 'nope' }), TypeError);
    assert.throws(() => sb.notification({ resource: {} }), TypeError);
    assert.throws(() => sb.notification({ event_type: 'X' }), TypeError);
  });

  test('a custom fetch carries the notification (e.g. into Miniflare)', async () => {
    const seen = [];
    const r = await sb.notify('http://worker/notify', { event_type: 'TRANSACTION.SUCCESS', resource: RESOURCE,
      fetch: async (u, init) => { seen.push({ u, init }); return new Response(null, { status: 204 }); } });
    assert.equal(r.status, 204);
    assert.equal(seen.length, 1);
    assert.equal(seen[0].u, 'http://worker/notify');
    assert.equal(seen[0].init.method, 'POST');
    assert.deepEqual(seen[0].init.body, r.sent.body);
  });

  test('out-of-process control: POST /__sandbox/notify', async () => {
    const res = await fetch(`${sb.baseURL}__sandbox/notify`, { method: 'POST',
      body: JSON.stringify({ url: url(), event_type: 'TRANSACTION.SUCCESS', resource: RESOURCE, misbehave: 'forged' }) });
    assert.equal(res.status, 200);
    const r = await res.json();
    assert.equal(r.status, 204);
    assert.equal(r.sent.mode, 'forged');
    assert.equal(r.sent.body, received[0].body.toString('utf8'));
    assert.equal(judge(received[0]), 'bad signature');
    const bad = await fetch(`${sb.baseURL}__sandbox/notify`, { method: 'POST', body: '{"event_type":"X","resource":{}}' });
    assert.equal(bad.status, 400);
    assert.equal(sb.requests.length, 0, 'control routes are not recorded');
  });
});

describe('CORS', () => {
  const preflight = { origin: 'http://app.example', 'access-control-request-method': 'PATCH', 'access-control-request-headers': 'authorization,content-type' };

  test('preflight is answered for the configured origin only, unchecked and unrecorded', async () => {
    const ok = await rawRequest(sb, 'OPTIONS', CODE_PATH, preflight);
    assert.equal(ok.status, 204);
    assert.equal(ok.headers['access-control-allow-origin'], 'http://app.example');
    assert.match(ok.headers['access-control-allow-methods'], /PATCH/);
    assert.match(ok.headers['access-control-allow-headers'], /wechatpay-serial/);
    assert.match(ok.headers['access-control-expose-headers'], /wechatpay-signature/);
    const no = await rawRequest(sb, 'OPTIONS', CODE_PATH, { ...preflight, origin: 'http://evil.example' });
    assert.equal(no.headers['access-control-allow-origin'], undefined);
    assert.equal(no.headers['access-control-allow-methods'], undefined);
    assert.equal(sb.requests.length, 0);
  });

  test('actual answers carry the origin and exposed headers only for that origin', async () => {
    const auth = authorization(sb, 'GET', CODE_PATH, Buffer.alloc(0));
    const a = await rawRequest(sb, 'GET', CODE_PATH, { origin: 'http://app.example', authorization: auth });
    assert.equal(a.status, 200);
    assert.equal(a.headers['access-control-allow-origin'], 'http://app.example');
    assert.match(a.headers['access-control-expose-headers'], /request-id/);
    const b = await rawRequest(sb, 'GET', CODE_PATH, { origin: 'http://evil.example', authorization: auth });
    assert.equal(b.headers['access-control-allow-origin'], undefined);
  });

  test('no cors option: no CORS headers at all', async () => {
    const plain = await startSandbox({ keys: { mchid: sb.mchid, merchant: sb.merchant, platform: sb.platform, pubkey: sb.pubkey } });
    try {
      const r = await rawRequest(plain, 'OPTIONS', CODE_PATH, preflight);
      assert.equal(r.headers['access-control-allow-origin'], undefined);
    } finally { await plain.close(); }
  });
});

describe('CLI', () => {
  test('writes sandbox.json, logs requests, stops on SIGTERM', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sbx-'));
    const child = spawn(process.execPath, [new URL('./cli.mjs', import.meta.url).pathname, '--out', dir, '--cors', 'http://app.example'],
      { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    try {
      const file = path.join(dir, 'sandbox.json');
      for (let i = 0; i < 200 && !fs.existsSync(file); i++) await new Promise((r) => setTimeout(r, 50));
      const info = JSON.parse(fs.readFileSync(file, 'utf8'));
      assert.deepEqual(Object.keys(info), ['baseURL', 'mchid', 'merchant', 'platform', 'pubkey', 'certs', 'apiv3Key']);
      assert.match(info.apiv3Key, /^[0-9A-Za-z]{32}$/);
      assert.equal(new crypto.X509Certificate(info.platform.certificate).serialNumber, info.platform.serial);
      const r = await call(info, 'GET', CODE_PATH);
      assert.equal(r.status, 200);
      assert.equal(verifyAnswer(info, r), 'ok');
      assert.deepEqual(fs.readdirSync(dir), ['sandbox.json'], 'no temp file left behind');
    } finally {
      child.kill('SIGTERM');
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    }
    assert.deepEqual(await exited, { code: 0, signal: null });
    assert.match(stderr, new RegExp(`GET ${CODE_PATH.replace(/[/.]/g, '\\$&')} 200 true`));
  });
});
