// Files in and out inside workerd (Miniflare), against the sandbox: uploads signed over meta,
// bills plain, GZIP, streamed and encrypted with their digest checked, a digest mismatch, a
// foreign download_url, statements, an unsigned download and the bill reader.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { startSandbox } from '../sandbox/index.mjs';
import { tradeBill, fundFlowBill } from '../sandbox/files.mjs';
import { bundle, secretsFor, start } from './harness.mjs';

describe('files in workerd', () => {
  let sb, mf, outdir;
  before(async () => {
    sb = await startSandbox({});
    ({ outdir } = await bundle('tests/workerd/files/wrangler.toml', 'files'));
    mf = start(outdir, secretsFor(sb));
  });
  after(async () => {
    await mf?.dispose();
    await sb?.close();
  });
  const call = async (path) => (await mf.dispatchFetch(`http://files${path}`)).json();

  test('uploads: FormData and uploadForm, signed over meta', async () => {
    const r = await call('/upload');
    const sha = crypto.createHash('sha256').update(Buffer.from([0xff, 0xd8, 1, 2, 3])).digest('hex');
    assert.deepEqual(r, { media_id: `media-${sha.slice(0, 16)}`, meta: { filename: 'a.jpg', sha256: sha }, video: 'video/mp4' });
    assert.ok(sb.requests.filter((q) => q.url.includes('media')).every((q) => q.verified));
  });

  for (const q of ['', '?gzip', '?stream', '?gzip&stream']) {
    test(`a trade bill ${q || '(plain)'}`, async () => {
      const r = await call(`/bill${q}`);
      assert.equal(r.text, tradeBill(3).toString('utf8'));
      assert.equal(r.rows, 3);
      assert.equal(r.summary['总交易单数'], '3');
    });
  }

  test('digest mismatches: a wrong value, and one over the GZIP bytes', async () => {
    assert.deepEqual(await call('/bill?hash=wrong'), { error: { code: 'ERR_DIGEST_MISMATCH' } });
    assert.deepEqual(await call('/bill?hash=wrong&stream'), { error: { code: 'ERR_DIGEST_MISMATCH' } });
    assert.deepEqual(await call('/bill?gzip&hash=compressed'), { error: { code: 'ERR_DIGEST_MISMATCH' } });
  });

  test("workerd's crypto.DigestStream hashes the file, unless crypto is 'rust'; Rust compares", async () => {
    const r = await call('/hashes');
    assert.equal(r.text, tradeBill(200).toString('utf8'));
    assert.equal(r.wrong, 'ERR_DIGEST_MISMATCH');
    assert.equal(r.streams, 2);
    assert.ok(r.writes >= 2, `chunks went to the DigestStream: ${r.writes}`);
    assert.equal(r.rustText, tradeBill(200).toString('utf8'));
    assert.equal(r.rustStreams, 0);
  });

  test('a GZIP bill is inflated as it is read, not ahead of the reader', async () => {
    const r = await call('/pull');
    assert.ok(r.total > 12 * 1024, JSON.stringify(r));
    // The first chunk of output needs the first slices of input, and nothing is pulled while the
    // reader is idle.
    assert.ok(r.pulled <= 4 * 1024, `pulled ${r.pulled} of ${r.total} compressed bytes for one chunk`);
    assert.ok(r.first > 0 && r.first <= 2 ** 21, JSON.stringify(r));
  });

  // workerd may collect a stream's JS wrapper while its reader still reads it: a finalizer the
  // package registered on it (to cancel a stream dropped unread, as Node needs) cancelled live
  // downloads, and their reads hung: 6 and 7 of these 10 did in two runs with it registered, and
  // the GZIP pull case above hung now and then in CI. (tests/common/streams.mjs; the same runs in
  // Node, Bun, Deno and Chromium with their collector called before every read.)
  test('streamed GZIP downloads read while the Worker makes garbage are read whole', async () => {
    assert.deepEqual(await call('/gc?n=10&mb=1'), { results: Array(10).fill('read whole') });
    // workerd known without navigator too (the compatibility flag no_global_navigator).
    const bare = start(outdir, secretsFor(sb), { compatibilityFlags: ['no_global_navigator'] });
    try {
      const r = await (await bare.dispatchFetch('http://files/gc?n=10&mb=1&navigator')).json();
      assert.deepEqual(r, { navigator: 'undefined', results: Array(10).fill('read whole') });
    } finally {
      await bare.dispose();
    }
  });

  test('a foreign download_url is refused', async () => {
    assert.deepEqual(await call('/bill?host=foreign'), { error: { code: 'ERR_INVALID_PARAM' } });
  });

  test('the encrypted sub-merchant fund-flow bill, plain and GZIP', async () => {
    assert.deepEqual(await call('/sub'), { text: fundFlowBill().toString('utf8') });
    assert.deepEqual(await call('/sub?gzip'), { text: fundFlowBill().toString('utf8') });
  });

  test('statements and an unsigned download', async () => {
    assert.deepEqual(await call('/statement'), { text: 'statement for 20240102\r\n`1,`2\r\n' });
    assert.deepEqual(await call('/statement?hash=wrong'), { error: { code: 'ERR_DIGEST_MISMATCH' } });
    assert.deepEqual(await call('/statement?sign=body'), { error: { code: 'ERR_RESPONSE_SIGNATURE' } });
    assert.deepEqual(await call('/unsigned'), { signfile: '%PDF-1.4 sandbox receipt\n', voucher: '%PDF-1.4 sandbox receipt\n', image: [0x89, 0x50, 0x4e, 0x47] });
    assert.deepEqual(await call('/global-statement'), { text: 'statement for 20240103\r\n`1,`2\r\n' });
  });

  test('readBill over a streamed GZIP bill', async () => {
    assert.deepEqual(await call('/read?n=3000'), { rows: 3000, summary: '3000' });
  });
});
