// Test-only Worker. Every route answers JSON; a WxpayError becomes { error: { code } }.
//   GET /upload                        a FormData upload -> { media_id, meta }
//   GET /bill?gzip&stream&hash=H&host=  tradebill + download -> { text, rows, summary }
//   GET /sub?gzip                      sub-merchant fund-flow bill (encrypted parts) -> { text }
//   GET /statement?hash=H&sign=S       v3/statements -> { text }
//   GET /unsigned                      the documented unsigned downloads -> { signfile, voucher, image }
//   GET /global-statement              v3/global/statements -> { text }
//   GET /read?n=N                      a GZIP bill of N rows through readBill -> { rows, summary }
//   GET /hashes                        who hashed: crypto.DigestStream counted, for a bill that
//                                      matches and one that does not, then with crypto 'rust'
//                                      -> { streams, writes, text, wrong, rustStreams, rustText }
//   GET /gc?n=N&mb=M&navigator         N streamed GZIP downloads of M MB read whole while the Worker
//                                      makes garbage -> { navigator?: typeof, results: ['read whole' | what went wrong] }
//   GET /pull                          a 16 MB GZIP bill (16 KB compressed) served 1 KB a pull:
//                                      one chunk read, 100 ms idle -> { total, pulled, first }
import { Wxpay, WxpayError, parseBill, readBill, uploadForm } from 'wxpay-wasm';
import { readsUnderGarbage } from '../../../common/streams.mjs';

const options = (env) => ({
  mchid: env.WXPAY_MCHID, serial: env.WXPAY_SERIAL, privateKey: env.WXPAY_PRIVATE_KEY, baseURL: env.WXPAY_BASE_URL,
  certs: { [env.WXPAY_PLATFORM_SERIAL]: env.WXPAY_PLATFORM_CERT },
});
const client = (env) => new Wxpay(options(env));
const text = (bytes) => new TextDecoder().decode(bytes);

async function route(url, env) {
  const w = client(env);
  const q = url.searchParams;
  switch (url.pathname) {
    case '/upload': {
      const form = new FormData();
      form.append('file', new File([new Uint8Array([0xff, 0xd8, 1, 2, 3])], 'a.jpg', { type: 'image/jpeg' }));
      const one = (await w.v3.merchant.media.upload.post(form)).data;
      const two = (await w.v3.merchant.media.video_upload.post(uploadForm(new Uint8Array(64), 'v.mp4'))).data;
      return { media_id: one.media_id, meta: one.meta, video: two.type };
    }
    case '/bill': {
      const params = { bill_date: '2024-01-02' };
      if (q.has('gzip')) params.tar_type = 'GZIP';
      if (q.has('hash')) params.sandbox_hash = q.get('hash');
      if (q.has('host')) params.sandbox_host = q.get('host');
      const { data } = await w.v3.bill.tradebill.get({ params });
      let bytes;
      if (q.has('stream')) {
        const chunks = [];
        for await (const c of await w.download(data, { stream: true })) chunks.push(...c);
        bytes = new Uint8Array(chunks);
      } else {
        bytes = await w.download(data);
      }
      const bill = parseBill(bytes);
      return { text: text(bytes), rows: bill.rows.length, summary: bill.summary };
    }
    case '/sub': {
      const params = { sub_mchid: '1900000001', bill_date: '2024-01-02', algorithm: 'AEAD_AES_256_GCM', account_type: 'BASIC' };
      if (q.has('gzip')) params.tar_type = 'GZIP';
      const { data } = await w.v3.bill['sub-merchant-fundflowbill'].get({ params });
      return { text: text(await w.download(data)) };
    }
    case '/statement': {
      const params = { date: '20240102' };
      if (q.has('hash')) params.sandbox_hash = q.get('hash');
      if (q.has('sign')) params.sandbox_sign = q.get('sign');
      return { text: text((await w.v3.statements.get({ params })).data) };
    }
    case '/unsigned':
      return {
        signfile: text((await w.v3.transferdownload.signfile.get({ params: { token: 't' } })).data),
        voucher: text((await w.v3.transferdownload.elecvoucherfile.get({ params: { token: 't' } })).data),
        image: [...(await w.v3['global/merchant-service/images/m1'].get({ params: { complaint_id: '1' } })).data.slice(0, 4)],
      };
    case '/global-statement':
      return { text: text((await w.v3.global.statements.get({ params: { date: '20240103' } })).data) };
    case '/read': {
      const { data } = await w.v3.bill.tradebill.get({ params: { bill_date: '2024-01-02', tar_type: 'GZIP', sandbox_rows: q.get('n') } });
      const bill = readBill(await w.download(data, { stream: true }));
      let rows = 0;
      for await (const row of bill) if (row['商户订单号'] === `order-${rows}`) rows++;
      return { rows, summary: bill.summary['总交易单数'] };
    }
    case '/hashes': {
      const Real = crypto.DigestStream;
      let streams = 0;
      let writes = 0;
      crypto.DigestStream = class extends Real {
        constructor(algorithm) {
          super(algorithm);
          streams++;
          const getWriter = this.getWriter.bind(this);
          this.getWriter = () => {
            const w = getWriter();
            const write = w.write.bind(w);
            w.write = (chunk) => { writes++; return write(chunk); };
            return w;
          };
        }
      };
      try {
        const bill = async (c, params) => (await c.v3.bill.tradebill.get({ params: { bill_date: '2024-01-02', sandbox_rows: 200, ...params } })).data;
        const out = { text: text(await w.download(await bill(w, { tar_type: 'GZIP' }))) };
        out.wrong = await w.download(await bill(w, { sandbox_hash: 'wrong' })).then(() => 'resolved', (e) => e.code);
        Object.assign(out, { streams, writes });
        const rust = new Wxpay({ ...options(env), crypto: 'rust' });
        out.rustText = text(await rust.download(await bill(rust, {})));
        out.rustStreams = streams - out.streams;
        return out;
      } finally {
        crypto.DigestStream = Real;
      }
    }
    case '/gc': {
      const results = await readsUnderGarbage({ Wxpay, options: options(env), baseURL: env.WXPAY_BASE_URL, n: Number(q.get('n')), mb: Number(q.get('mb') ?? 1) });
      return q.has('navigator') ? { navigator: typeof globalThis.navigator, results } : { results };
    }
    case '/pull': {
      // What the download pulls from the answer's body for its first chunk of output: workerd's
      // DecompressionStream inflates whatever it is written at once, so a gunzip fed by
      // pipeThrough took the whole file (and held its whole expansion) before the first read.
      const plain = new Blob([new Uint8Array(16 << 20).fill(0x78)]);
      const gz = new Uint8Array(await new Response(plain.stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer());
      let pulled = 0;
      const body = () => new ReadableStream({
        pull(c) {
          if (pulled >= gz.length) return c.close();
          const slice = gz.slice(pulled, pulled + 1024);
          pulled += slice.length;
          c.enqueue(slice);
        },
      }, { highWaterMark: 0 });
      const wp = new Wxpay({
        mchid: env.WXPAY_MCHID, serial: env.WXPAY_SERIAL, privateKey: env.WXPAY_PRIVATE_KEY, baseURL: env.WXPAY_BASE_URL,
        certs: { [env.WXPAY_PLATFORM_SERIAL]: env.WXPAY_PLATFORM_CERT }, fetch: async () => new Response(body()),
      });
      const data = { download_url: new URL('v3/billdownload/file?token=pull', env.WXPAY_BASE_URL).href, hash_type: 'SHA1', hash_value: '0'.repeat(40) };
      const reader = (await wp.download(data, { stream: true })).getReader();
      const first = await reader.read();
      // A reader slower than the network: nothing more may be pulled while it is not reading.
      await new Promise((resolve) => setTimeout(resolve, 100));
      const result = { total: gz.length, pulled, first: first.value.byteLength };
      await reader.cancel();
      return result;
    }
    default:
      return { error: { code: 'NOT_FOUND' } };
  }
}

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    try {
      return Response.json(await route(url, env));
    } catch (e) {
      if (e instanceof WxpayError) return Response.json({ error: { code: e.code } });
      return Response.json({ error: { code: 'UNEXPECTED', message: String(e?.stack ?? e) } });
    }
  },
};
