// make bench, layers section: where our overhead over the floor sits. The seed GET through four
// clients side by side in one process (alternating batches, certificate mode, 10 in flight):
//   floor   bare fetch + node:crypto, no SDK (bench/e2e.mjs)
//   mini    the thinnest wasm client (bench/profile/mini): the Authorization header and the
//           answer check in Rust, fetch in JS, two calls into wasm per request
//   direct  the package's Rust client called straight (the glue's `Wxpay.request`), no JS chain
//   ours    the package as users call it: wxpay.v3.marketing....get({ card_id, code })
// Twice: against the sandbox ("real"), and with fetch answering at once with a recorded answer
// ("fake": no network, so what is left is the clients' own work, with warm caches).
// `node bench/profile/layers.mjs [real|fake] [rounds] [perBatch]` runs one of the two alone.
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { bareFetchClient } from './e2e.mjs';
import { alternate, CARD, direct as directClient, fakeFetch, mini as miniClient } from './profile/clients.mjs';
import { startSandboxProcess } from './sandbox-process.mjs';
import { alternateRounds, fmt, median, roundRatio, table } from './stats.mjs';

const root = resolve(import.meta.dirname, '..');
const NAMES = ['floor', 'mini', 'direct', 'ours'];

/** The four clients against the sandbox `sb`; with `fake`, fetch replays one recorded answer. */
async function clients(sb, fake) {
  // The installed package, as users get it; `direct` is the instance its entry started.
  const pkg = `${root}/node_modules/wxpay-wasm`;
  const { Wxpay } = await import(`${pkg}/node.mjs`);
  const wxpay = new Wxpay({ mchid: sb.mchid, serial: sb.merchant.serial, privateKey: sb.merchant.privateKeyPkcs8, certs: { [sb.platform.serial]: sb.platform.certificate }, baseURL: sb.baseURL });
  const direct = await directClient(sb, pkg);
  const miniGet = await miniClient(sb);

  const restore = fake ? await fakeFetch(direct) : () => {};
  const get = { floor: bareFetchClient(sb, sb.platform.certificate), mini: miniGet, direct, ours: () => wxpay.v3.marketing.membercardOpen.cards._card_id_.codes._code_.get(CARD) };
  return { get, restore, free: () => { wxpay.free(); direct.free(); miniGet.free(); } };
}

/** CPU ms per request of each client, per round, in one process. */
export async function runLayers(mode = 'real', rounds = 15, perBatch = 300) {
  execFileSync('bash', [resolve(root, 'bench/profile/mini.sh')], { stdio: ['ignore', 'ignore', 'inherit'] });
  const sb = await startSandboxProcess();
  const { get, restore, free } = await clients(sb, mode === 'fake');
  let samples;
  try {
    samples = await alternate(Object.fromEntries(NAMES.map((k) => [k, get[k]])), rounds, perBatch);
  } finally {
    restore();
    free();
    await sb.close();
  }
  const ratio = (a, b) => roundRatio(samples[a], samples[b]);
  return {
    cpu: Object.fromEntries(NAMES.map((k) => [k, median(samples[k])])),
    ratios: { 'mini/floor': ratio('mini', 'floor'), 'direct/floor': ratio('direct', 'floor'), 'ours/floor': ratio('ours', 'floor'), 'direct/mini': ratio('direct', 'mini'), 'ours/direct': ratio('ours', 'direct') },
  };
}

/**
 * The chain's share, hot: nanoseconds a read of the seed's path down to its verb (seven property
 * reads, `wxpay.v3` included) on a client's chain, beside the same path as nested plain objects.
 * `pkg`: another build's directory, to compare (`node -e` with `chainWalk(15, 200000, dir)`).
 */
export async function chainWalk(rounds = 15, reads = 200_000, pkg = `${root}/node_modules/wxpay-wasm`) {
  const { Wxpay } = await import(`${resolve(pkg)}/node.mjs`);
  const { generateKeys } = await import(`${root}/tests/sandbox/index.mjs`);
  const keys = generateKeys();
  const wxpay = new Wxpay({ mchid: '1900000109', serial: keys.merchant.serial, privateKey: keys.merchant.privateKeyPkcs8, certs: { [keys.platform.serial]: keys.platform.certificate } });
  const plain = { v3: { marketing: { membercardOpen: { cards: { _card_id_: { codes: { _code_: { get() {} } } } } } } } };
  const walks = {
    chain: () => wxpay.v3.marketing.membercardOpen.cards._card_id_.codes._code_.get,
    'plain objects': () => plain.v3.marketing.membercardOpen.cards._card_id_.codes._code_.get,
  };
  let sink;
  const samples = await alternateRounds(Object.keys(walks), 1, rounds, (name) => {
    const walk = walks[name];
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < reads; i++) sink = walk();
    return Number(process.hrtime.bigint() - t0) / reads;
  });
  wxpay.free();
  if (typeof sink !== 'function') throw new Error('the walk did not reach the verb');
  return { chain: median(samples.chain), plain: median(samples['plain objects']), ratio: roundRatio(samples.chain, samples['plain objects']) };
}

export async function layers({ rounds = 15, perBatch = 300 } = {}) {
  const runs = { real: await runLayers('real', rounds, perBatch), fake: await runLayers('fake', rounds, perBatch) };
  const walk = await chainWalk(rounds);
  const keys = Object.keys(runs.real.ratios);
  const rows = Object.entries(runs).map(([mode, r]) => [mode, ...NAMES.map((k) => fmt(r.cpu[k])), ...keys.map((k) => `${fmt(r.ratios[k], 2)}x`)]);
  return {
    data: { ...runs, walk },
    markdown: `N = ${perBatch} seed GETs a batch, 10 in flight, ${rounds} alternating rounds (after one warm-up round), certificate mode; client CPU ms/request (process.cpuUsage), medians; each ratio the median of the rounds' ratios. **mini** is bench/profile/mini: the \`Authorization\` header and the answer check in Rust, fetch in JS, two calls into wasm per request. **direct** is the package's Rust client called straight (no JS chain). **fake**: fetch answers at once with a recorded answer (no network; warm caches).\n\n` +
      table(['run', 'floor', 'mini', 'direct', 'ours', ...keys], rows) +
      `\n\nThe chain's walk, hot: the seed's path read down to its verb (\`wxpay.v3.marketing.membercardOpen.cards._card_id_.codes._code_.get\`, seven property reads), ${rounds} alternating rounds of 200,000 reads, medians: ${fmt(walk.chain, 1)} ns a path on the chain, ${fmt(walk.plain, 1)} ns on nested plain objects (ratio ${fmt(walk.ratio, 2)}x).\n`,
  };
}
