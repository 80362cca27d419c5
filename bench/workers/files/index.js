// A large bill read to the end inside workerd, for bench/files.mjs, which samples the workerd
// process's RSS from outside while a route runs. Every route first ask v3/bill/tradebill for the
// bill's download_url (a small signed request), then read the bill and drop each chunk:
//   GET /stream?size=N[&gzip]  wxpay.download(data, { stream: true }): digest checked, gunzipped
//   GET /fetch?size=N          a plain fetch of download_url, signed with crypto.subtle (no SDK)
//   GET /gz?size=N&gzip        the same plain fetch of the GZIP bill, piped through DecompressionStream
// Each answers { bytes }.
import { Wxpay } from 'wxpay-wasm';
import { ALG, der, signedGet } from '../../../tests/workerd/nosdk.js';

async function plainFetch(env, downloadUrl) {
  const key = await crypto.subtle.importKey('pkcs8', der(env.WXPAY_PRIVATE_KEY), ALG, false, ['sign']);
  const res = await signedGet(env, key, downloadUrl);
  if (res.status !== 200) throw new Error(`fetch: ${res.status}`);
  return res.body;
}

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const w = new Wxpay({
      mchid: env.WXPAY_MCHID, serial: env.WXPAY_SERIAL, privateKey: env.WXPAY_PRIVATE_KEY,
      certs: JSON.parse(env.WXPAY_CERTS), baseURL: env.WXPAY_BASE_URL, timeout: 120_000,
    });
    const params = { bill_date: '2024-01-02', sandbox_size: Number(url.searchParams.get('size')) };
    if (url.searchParams.has('gzip')) params.tar_type = 'GZIP';
    const { data } = await w.v3.bill.tradebill.get({ params });
    let body;
    if (url.pathname === '/fetch') body = await plainFetch(env, data.download_url);
    else if (url.pathname === '/gz') body = (await plainFetch(env, data.download_url)).pipeThrough(new DecompressionStream('gzip'));
    else body = await w.download(data, { stream: true });
    let bytes = 0;
    for await (const chunk of body) bytes += chunk.byteLength;
    return Response.json({ bytes });
  },
};
