// Portable (Node, Bun, Deno, workerd, Chromium): no Node API. Used by tests/workerd/files and
// tests/workerd/recover, tests/runtimes, tests/node/files and tests/browser.

/** Makes garbage: enough small objects to set off the runtime's collector now and then. */
let garbage = [];
export function makeGarbage() {
  for (let k = 0; k < 20000; k++) garbage.push({ k });
  if (garbage.length > 200000) garbage = [];
}

/**
 * V8's `gc` (exposed by --expose-gc): minor before a stream's first three reads, while its wrapper
 * is young, then major and minor in turn. Chromium's minor collections took a stream's JS wrapper
 * while its reader read it (8 of 10 downloads here); its full ones did not, and promote it.
 */
export function minorAndMajor(gc) {
  return (read) => gc({ type: read < 3 || read % 2 === 0 ? 'minor' : 'major' });
}

/**
 * `n` streamed GZIP downloads of an `mb` MB file (given by the client's own `fetch`), each read to
 * its end with `collect(k)` (the collector, or garbage made; `k` counts the reads) before every read: a stream must live
 * while its reader reads it. workerd and Chromium collected a live stream's wrapper, and the
 * finalizer the package registered for streams dropped unread cancelled downloads mid-read: in
 * workerd their reads hung; in Chromium it freed their digest under them (ERR_INTERNAL, and every
 * call in flight failed with it).
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
        for (let k = 0; ; k++) {
          collect(k);
          // A macrotask, as a reader at its own pace gives: finalizers run in one.
          await new Promise((resolve) => setTimeout(resolve, 0));
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
