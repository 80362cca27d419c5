// Portable (Node, Bun, Deno, workerd): no Node API. Used by tests/workerd/files, tests/runtimes
// and tests/node/files.

/** Makes garbage: enough small objects to set off the runtime's collector now and then. */
let garbage = [];
export function makeGarbage() {
  for (let k = 0; k < 20000; k++) garbage.push({ k });
  if (garbage.length > 200000) garbage = [];
}

/**
 * `n` streamed GZIP downloads of an `mb` MB file (given by the client's own `fetch`), each read to
 * its end with `collect()` (the collector, or garbage made) before every read: a stream must live
 * while its reader reads it. workerd collected a live stream's wrapper, and the finalizer the
 * package registered for streams dropped unread cancelled downloads mid-read; their reads hung.
 * Returns one result a download: 'read whole', or what went wrong (a read with no answer in 5 s
 * included). `Wxpay` and `options` (without `fetch`) make the client; `baseURL` is its host.
 */
export async function readsUnderGarbage({ Wxpay, options, baseURL, n, mb = 1, collect = makeGarbage }) {
  const plain = new Uint8Array(mb << 20).fill(0x78);
  const gz = new Uint8Array(await new Response(new Blob([plain]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer());
  const hash = [...new Uint8Array(await crypto.subtle.digest('SHA-1', plain))].map((b) => b.toString(16).padStart(2, '0')).join('');
  const w = new Wxpay({ ...options, fetch: async () => new Response(new Blob([gz]).stream()) });
  const data = { download_url: new URL('v3/billdownload/file?token=gc', baseURL).href, hash_type: 'SHA1', hash_value: hash };
  const results = [];
  try {
    for (let i = 0; i < n; i++) {
      const reader = (await w.download(data, { stream: true })).getReader();
      let total = 0;
      const read = async () => {
        for (;;) {
          collect();
          const r = await reader.read();
          if (r.done) return total === plain.length ? 'read whole' : `ended at ${total} bytes`;
          total += r.value.byteLength;
        }
      };
      let timer;
      const late = new Promise((resolve) => { timer = setTimeout(() => resolve(`no answer after ${total} bytes`), 5000); });
      results.push(await Promise.race([read().catch((e) => e?.code ?? String(e)), late]));
      clearTimeout(timer);
    }
  } finally {
    w.free();
  }
  return results;
}
