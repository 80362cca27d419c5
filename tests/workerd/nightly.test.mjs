// The example Worker's nightly job (its `scheduled` handler) in workerd, bundled by wrangler as a
// deploy would, with Miniflare's KV and R2: the platform certificates WeChat Pay lists are kept in
// CERTS (a rotation announced ahead too, a retired one dropped), and a new isolate started from
// them verifies its first answer without a download; yesterday's trade bill (in China's time)
// goes to BILLS as a multipart upload of 5 MiB parts, and nothing is kept when its digest does not
// match.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startSandbox, CARD_ID } from '../sandbox/index.mjs';
import { bigBill } from '../sandbox/files.mjs';
import { ADMIN, bundle, secretsFor, start } from './harness.mjs';

const CODE = '300000001';
const KEY = 'platform-certificates';

describe('examples/worker nightly job in workerd', () => {
  let sb, outdir, dir;
  before(async () => {
    sb = await startSandbox({});
    ({ outdir } = await bundle('examples/worker/wrangler.toml', 'example-nightly'));
    dir = mkdtempSync(join(tmpdir(), 'wxpay-nightly-'));
  });
  after(async () => {
    await sb?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  /** The Worker's secrets with no platform key of their own: the APIv3 key and what CERTS keeps. */
  const secrets = () => {
    const s = secretsFor(sb);
    delete s.WXPAY_PLATFORM_SERIAL;
    delete s.WXPAY_PLATFORM_CERT;
    return s;
  };
  const downloads = () => sb.requests.filter((r) => r.url === '/v3/certificates').length;
  const scheduled = async (mf, scheduledTime) => (await mf.getWorker()).scheduled({ cron: '0 3 * * *', ...(scheduledTime ? { scheduledTime } : {}) });
  const card = (mf) => mf.dispatchFetch(`http://worker/card/${CARD_ID}/${CODE}`, { headers: ADMIN });

  test('CERTS keeps the certificates WeChat Pay lists, one announced ahead of a rotation too and none retired; a new isolate starts from them and downloads nothing', async () => {
    sb.reset();
    const options = { kvNamespaces: ['CERTS'], kvPersist: join(dir, 'kv') };
    const first = sb.platform;
    let mf = start(outdir, secrets(), options);
    try {
      assert.equal((await scheduled(mf)).outcome, 'ok');
      const kv = await mf.getKVNamespace('CERTS');
      assert.deepEqual(await kv.get(KEY, 'json'), { [first.serial]: first.certificate });

      // Listed a week ahead of its effective time: the same, warm isolate keeps it too (its client
      // had downloaded already, so `certificates()` alone would not have asked again).
      const upcoming = sb.rotate({ upcoming: true });
      assert.equal((await scheduled(mf)).outcome, 'ok');
      assert.deepEqual(await kv.get(KEY, 'json'), { [first.serial]: first.certificate, [upcoming.serial]: upcoming.certificate });

      // A rotation: a new certificate signs from now on, and the first is retired (its listed
      // expire_time now): CERTS drops it.
      const current = sb.rotate();
      sb.retire(first.serial);
      assert.equal((await scheduled(mf)).outcome, 'ok');
      assert.deepEqual(await kv.get(KEY, 'json'), { [upcoming.serial]: upcoming.certificate, [current.serial]: current.certificate });
      await mf.dispose();

      // A new isolate: its client is made from CERTS, and verifies the answer `current` signs
      // without a download.
      mf = start(outdir, secrets(), options);
      const before = downloads();
      const res = await card(mf);
      assert.equal(res.status, 200);
      assert.equal((await res.json()).code, CODE);
      assert.equal(downloads() - before, 0, 'no certificate download');
      assert.equal(sb.requests.at(-1).verified, true);
    } finally {
      await mf.dispose();
    }
    // Without CERTS the same first request waits for a download (what the job saves).
    const bare = start(outdir, secrets());
    try {
      const before = downloads();
      assert.equal((await card(bare)).status, 200);
      assert.equal(downloads() - before, 1);
    } finally {
      await bare.dispose();
    }
  });

  test('CERTS keeps the certificate the secrets give too; and whatever CERTS holds that is not such a record (not JSON, not an object, a refused PEM) neither stops a request nor the job, which writes it again', async () => {
    sb.reset();
    const options = { kvNamespaces: ['CERTS'], kvPersist: join(dir, 'kv-secret') };
    let mf = start(outdir, secretsFor(sb), options);
    try {
      assert.equal((await scheduled(mf)).outcome, 'ok');
      const kv = await mf.getKVNamespace('CERTS');
      assert.deepEqual(await kv.get(KEY, 'json'), { [sb.platform.serial]: sb.platform.certificate });
      await mf.dispose();
      // Then the secrets are left out: a new isolate starts from CERTS alone, without a download.
      mf = start(outdir, secrets(), options);
      const before = downloads();
      assert.equal((await card(mf)).status, 200);
      assert.equal(downloads() - before, 0);
    } finally {
      await mf.dispose();
    }
    for (const bad of ['abc', '[1]', '"text"', JSON.stringify({ [sb.platform.serial]: 42 }), JSON.stringify({ [sb.platform.serial]: 'not a pem' }), JSON.stringify({ NOT_A_SERIAL: sb.platform.certificate })]) {
      const worker = start(outdir, secretsFor(sb), { kvNamespaces: ['CERTS'] });
      try {
        const kv = await worker.getKVNamespace('CERTS');
        await kv.put(KEY, bad);
        const res = await card(worker);
        assert.equal(res.status, 200, bad);
        assert.equal((await scheduled(worker)).outcome, 'ok', bad);
        assert.deepEqual(await kv.get(KEY, 'json'), { [sb.platform.serial]: sb.platform.certificate }, bad);
      } finally {
        await worker.dispose();
      }
    }
  });

  test("BILLS gets yesterday's trade bill (China's day) in parts of 5 MiB, and nothing when its digest does not match", async () => {
    sb.reset();
    const size = 12 * 1024 * 1024;
    sb.billQuery = { sandbox_size: String(size) };
    const mf = start(outdir, secretsFor(sb), { r2Buckets: ['BILLS'] });
    try {
      // 01:00 on 7 December in China: yesterday there is the 6th (in UTC it is still the 6th).
      assert.equal((await scheduled(mf, new Date('2026-12-06T17:00:00Z'))).outcome, 'ok');
      const asked = new URL(sb.requests.find((r) => r.url.startsWith('/v3/bill/tradebill')).url, 'http://sandbox');
      assert.equal(asked.searchParams.get('bill_date'), '2026-12-06');
      assert.equal(asked.searchParams.get('tar_type'), 'GZIP');
      const bucket = await mf.getR2Bucket('BILLS');
      const kept = await bucket.get('tradebill/2026-12-06.csv');
      assert.ok(kept, 'the bill is kept');
      assert.ok(Buffer.from(await kept.arrayBuffer()).equals(bigBill(size)), 'byte for byte the bill, gunzipped');
      assert.equal(kept.httpMetadata.contentType, 'text/csv; charset=utf-8');
      // A multipart object's ETag counts its parts: 12 MiB in parts of 5 MiB is three.
      assert.match(kept.etag, /-3$/);

      // The next night's bill does not match its digest: the stream errors at its end, after two
      // parts went up; the upload is aborted and nothing is kept, and the run fails.
      sb.billQuery = { sandbox_size: String(size), sandbox_hash: 'wrong' };
      const failed = await scheduled(mf, new Date('2026-12-07T03:00:00Z'));
      assert.notEqual(failed.outcome, 'ok');
      assert.equal(await bucket.get('tradebill/2026-12-07.csv'), null);
      assert.deepEqual((await bucket.list()).objects.map((o) => o.key), ['tradebill/2026-12-06.csv']);
    } finally {
      await mf.dispose();
    }
  });
});
