// Mistakes the types must catch. Each `// @ts-expect-error TSnnnn: why` line
// must be followed by a line that fails to compile (tsc checks that), and
// fail with that very code (expect-errors.mjs checks that).
import { Wxpay } from 'wxpay-wasm';

declare const wxpay: Wxpay;
declare const card_id: string, code: string;
const node = wxpay.v3.marketing.membercardOpen.cards._card_id_.codes._code_;

// A misspelled field: in the PATCH body, in the config, in the answer.
// @ts-expect-error TS2561: membrship_number is not a field of the body
await node.patch({ membrship_number: '316510891298', out_request_no: 'r1' }, { card_id, code });
// @ts-expect-error TS2561: parmas is not a config key
await node.get({ card_id, code, parmas: { a: 1 } });
const { data } = await node.get({ card_id, code });
// @ts-expect-error TS2551: the answer has balance, not balanse
void data.balanse;

// A missing placeholder.
// @ts-expect-error TS2345: card_id is missing
await node.get({ code });
// @ts-expect-error TS2554: the PATCH config with its placeholders is required
await node.patch({ out_request_no: 'r1' });

// A PATCH body without out_request_no.
// @ts-expect-error TS2345: out_request_no is required
await node.patch({ membership_number: '316510891298', level: '钻石会员' }, { card_id, code });

// A number where a string belongs, and the other way round.
// @ts-expect-error TS2322: membership_number is a string
await node.patch({ membership_number: 316510891298, out_request_no: 'r1' }, { card_id, code });
// @ts-expect-error TS2322: placeholders of typed paths are strings, as the API documents them
await node.get({ card_id: 123, code });
// @ts-expect-error TS2322: balance is a number
const balance: string = data.balance;
void balance;

// Request enums are closed: a misspelled value is caught.
await wxpay.v3.marketing.membercardOpen.cards.post({
  appid: 'wx', brand: { brand_id: '1', display_name: 'b' }, logo_url: 'u', title: 't', background_picture_url: 'u',
  // @ts-expect-error TS2820: QR_CODE is not a code type (QRCODE is)
  description: 'd', code_type: 'QR_CODE', date_information: { type: 'PERMANENT' }, code_mode: 'SYSTEM_ALLOCATE', out_request_no: 'r',
});

// A typed query: required, and typed.
// @ts-expect-error TS2345: params { offset, limit } are required
await wxpay.v3.marketing.membercardOpen.cards.get({});
// @ts-expect-error TS2741: limit is missing from the query
await wxpay.v3.marketing.membercardOpen.cards.get({ params: { offset: 0 } });

// The status of a 204 answer is 204: comparing it with 200 is a mistake.
const { status } = await node.patch({ out_request_no: 'r1' }, { card_id, code });
// @ts-expect-error TS2367: status is 204
if (status === 200) void status;

// A misspelled verb is a node, not a function; nodes are not thenable.
// @ts-expect-error TS2349: pacth is a path segment
await node.pacth({ out_request_no: 'r1' }, { card_id, code });
// @ts-expect-error TS2722: then is undefined
wxpay.v3.pay.then(() => {});

// Untyped answers are unknown until the caller narrows them.
const untyped = await wxpay.v3.pay.transactions.id._transaction_id_.get({ transaction_id: '1' });
// @ts-expect-error TS18046: data is unknown
void untyped.data.trade_state;

// Options of the client.
// @ts-expect-error TS2345: certs (or apiv3Key, to download them) is required
new Wxpay({ mchid: '1900000109', serial: 'S', privateKey: 'pem' });
// @ts-expect-error TS2322: crypto is 'auto', 'webcrypto' or 'rust'
new Wxpay({ mchid: '1900000109', serial: 'S', privateKey: 'pem', certs: {}, crypto: 'openssl' });
