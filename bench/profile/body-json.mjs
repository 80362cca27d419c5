// What the package's check of a request body costs (boundary.js `body`: jsonOf, JSON.stringify with
// a replacer that looks at every value), against `JSON.stringify` and `TextEncoder` alone, on a
// JSAPI order's body (822 bytes), calls interleaved in rounds: medians, µs a call. Both give the
// same bytes (checked first).
//   node bench/profile/body-json.mjs [pkgDir=pkg] [rounds=15] [callsPerRound=20000]
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { median } from '../stats.mjs';

const [dir = 'pkg', rounds = '15', per = '20000'] = process.argv.slice(2);
const { body } = await import(pathToFileURL(path.resolve(dir, 'boundary.js')).href);
const order = {
  appid: 'wxd678efh567hg6787', mchid: '1230000109', description: 'Image形象店-深圳腾大-QQ公仔',
  out_trade_no: '1217752501201407033233368018', time_expire: '2018-06-08T10:34:56+08:00', attach: 'x',
  notify_url: 'https://www.weixin.qq.com/wxpay/pay.php', goods_tag: 'WXG', amount: { total: 100, currency: 'CNY' },
  payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
  detail: { cost_price: 608800, invoice_id: '微信123', goods_detail: [{ merchant_goods_id: '1246464644', wechatpay_goods_id: '1001', goods_name: 'iPhoneX 256G', quantity: 1, unit_price: 528800 }] },
  scene_info: { payer_client_ip: '14.23.150.211', device_id: '013467007045764', store_info: { id: '0001', name: '腾讯大厦分店', area_code: '440305', address: '广东省深圳市南山区科技中一道10000号' } },
  settle_info: { profit_sharing: false },
};
const encoder = new TextEncoder();
const plain = (d) => encoder.encode(JSON.stringify(d));
if (!Buffer.from(body(order)).equals(Buffer.from(plain(order)))) throw new Error('body() and JSON.stringify differ');
const clients = [['JSON.stringify + encode', plain], ['body() (the package)', body]];
const times = clients.map(() => []);
const n = Number(per);
for (let r = 0; r < Number(rounds); r++) {
  clients.forEach(([, f], i) => {
    const t = process.hrtime.bigint();
    for (let k = 0; k < n; k++) f(order);
    times[i].push(Number(process.hrtime.bigint() - t) / n / 1000);
  });
}
const base = median(times[0]);
clients.forEach(([name], i) => console.log(`${name.padEnd(26)} median ${median(times[i]).toFixed(2)} µs  /plain ${(median(times[i]) / base).toFixed(2)}`));
