// The JavaScript copies of the merchant key (SECURITY.md, "Keys in memory"): the boundary's copy
// is zeroed once Rust has copied it, or before the error goes when the options are refused; the
// copy kept to rebuild the client after a recovery is zeroed by free(), or at once when `new
// Wxpay` throws. The copies are caught as they are made (Uint8Array's slice, TextEncoder's
// encode, whichever makes a copy equal to the key) and looked at afterwards.
import test from 'node:test';
import assert from 'node:assert/strict';
import { Wxpay } from 'wxpay-wasm';
import { useSandbox, options, memberCode, CARD_ID, CODE } from './helpers.mjs';

const ctx = useSandbox();

/**
 * Runs `fn` while catching every new array or buffer (Uint8Array's and ArrayBuffer's slice,
 * TextEncoder's encode) whose bytes equal `key`'s; returns them, each as a Uint8Array over it.
 */
function copiesOf(key, fn) {
  const caught = [];
  const same = (a) => a.length === key.length && a.every((b, i) => b === key[i]);
  const saved = { slice: Uint8Array.prototype.slice, buffer: ArrayBuffer.prototype.slice, encode: TextEncoder.prototype.encode };
  const hook = (real, view) => function (...args) {
    const out = real.apply(this, args);
    if (same(view(out))) caught.push(view(out));
    return out;
  };
  Uint8Array.prototype.slice = hook(saved.slice, (a) => a);
  ArrayBuffer.prototype.slice = hook(saved.buffer, (b) => new Uint8Array(b));
  TextEncoder.prototype.encode = hook(saved.encode, (a) => a);
  try {
    fn();
  } finally {
    Uint8Array.prototype.slice = saved.slice;
    ArrayBuffer.prototype.slice = saved.buffer;
    TextEncoder.prototype.encode = saved.encode;
  }
  return caught;
}

const zero = (a) => new Uint8Array(a.buffer ?? a, a.byteOffset, a.byteLength).every((b) => b === 0);

const FORMS = [
  ['a string', (sb) => sb.merchant.privateKeyPkcs8],
  ['a Buffer', (sb) => Buffer.from(sb.merchant.privateKeyPkcs8)],
  ['an ArrayBuffer', (sb) => new TextEncoder().encode(sb.merchant.privateKeyPkcs8).buffer],
];

test('a key over the 64 MiB a value may be: the copy made to measure it is zeroed with the error', () => {
  const { sb } = ctx;
  const big = new Uint8Array(64 * 1024 * 1024 + 1).fill(0x41);
  big.set(new TextEncoder().encode(sb.merchant.privateKeyPkcs8));
  const caught = copiesOf(big, () => {
    assert.throws(() => new Wxpay(options(sb, { privateKey: big })), /options\.privateKey is longer than 67108864 bytes/);
  });
  assert.ok(caught.length >= 1, `a copy was made (${caught.length})`);
  assert.ok(caught.every(zero), `${caught.filter(zero).length} of ${caught.length} copies zeroed`);
  assert.ok(!zero(big), "the caller's own buffer is never touched");
});

for (const [form, key] of FORMS) {
  test(`the key given as ${form}: every copy made of it is zeroed when new Wxpay throws`, () => {
    const { sb } = ctx;
    const bytes = new TextEncoder().encode(sb.merchant.privateKeyPkcs8);
    // Refused by boundary.js after it copied the key (a later option, a certs entry), and by Rust
    // after that (a serial it reads as no serial).
    for (const [what, bad] of [
      ['options.timeout', { timeout: 'soon' }],
      ['options.certs entry 1', { certs: { [sb.platform.serial]: 'wechatpay_cert.pem' } }],
      ['options.serial', { serial: 'not hex' }],
    ]) {
      const given = key(sb);
      const caught = copiesOf(bytes, () => {
        assert.throws(() => new Wxpay(options(sb, { privateKey: given, ...bad })), (e) => e.message.includes(what), what);
      });
      assert.ok(caught.length >= 1, `${what}: a copy was made (${caught.length})`);
      assert.ok(caught.every(zero), `${what}: ${caught.filter(zero).length} of ${caught.length} copies zeroed`);
      if (typeof given !== 'string') assert.ok(!zero(given), "the caller's own buffer is never touched");
    }
  });

  test(`the key given as ${form}: the boundary's copy is zeroed at once, the kept one by free()`, async () => {
    const { sb } = ctx;
    const bytes = new TextEncoder().encode(sb.merchant.privateKeyPkcs8);
    const given = key(sb);
    let wxpay;
    const caught = copiesOf(bytes, () => { wxpay = new Wxpay(options(sb, { privateKey: given })); });
    // The boundary's copy (every form), zeroed once Rust has it; for bytes, also the copy kept for
    // a rebuild (a string is kept as the string), the key while the client lives.
    assert.equal(caught.length, typeof given === 'string' ? 1 : 2);
    assert.equal(caught.filter(zero).length, 1, "the boundary's copy is zeroed, the kept one is not");
    const { status } = await memberCode(wxpay).get({ card_id: CARD_ID, code: CODE });
    assert.equal(status, 200);
    wxpay.free();
    assert.ok(caught.every(zero), 'after free(), every copy is zeroed');
    assert.ok(typeof given === 'string' || !zero(given), "the caller's own buffer is never touched");
  });
}
