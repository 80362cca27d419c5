// Files as a TypeScript user sees them: download resolves bytes, or a ReadableStream with
// { stream: true }; parseBill and readBill type the documented bills; uploadForm builds a FormData.
import { Wxpay, WxpayError, parseBill, readBill, uploadForm } from 'wxpay-wasm';
import type { ParsedBill, WxpayBytes, DownloadData, TradeBillRow, TradeBillSummary, FundFlowBillRow, WxpayErrorCode, WxpayResponse } from 'wxpay-wasm';
import type { Equal, Expect } from './equal.cjs';

const wxpay = new Wxpay({ mchid: '1900000109', serial: 'A', privateKey: 'pem', certs: { A: 'pem' } });
declare const data: DownloadData;

const bytes = await wxpay.download(data);
type _bytes = Expect<Equal<typeof bytes, WxpayBytes>>;
// The bytes go where the platform takes an ArrayBuffer's (TypeScript 5.7 and later refuse a
// bare Uint8Array there: it may be a SharedArrayBuffer's), and are still a Uint8Array.
new Response(bytes);
new Blob([bytes]);
await crypto.subtle.digest('SHA-256', bytes);
const view: Uint8Array = bytes;
const stream = await wxpay.download(data, { stream: true, timeout: 60_000 });
type _stream = Expect<Equal<typeof stream, ReadableStream<WxpayBytes>>>;
for await (const chunk of stream as unknown as AsyncIterable<WxpayBytes>) await crypto.subtle.digest('SHA-256', chunk);
await wxpay.download({ download_bill_list: [{ bill_sequence: 1, download_url: 'u', hash_type: 'SHA1', hash_value: 'h', encrypt_key: 'k', nonce: 'n' }] });
// The answer of v3/bill/sub-merchant-fundflowbill goes to download as it is: its
// download_bill_list is optional (without it, download rejects ERR_INVALID_PARAM).
const sub = await wxpay.v3.bill.subMerchantFundflowbill.get({ params: { sub_mchid: '1900000109', bill_date: '2024-01-01', algorithm: 'AEAD_AES_256_GCM', account_type: 'BASIC' } });
const subBytes: Uint8Array = await wxpay.download(sub.data);
const subStream: ReadableStream<Uint8Array> = await wxpay.download(sub.data, { stream: true });

// A receipt's answer goes to download as it is: its file fields are optional until the receipt
// is made (without them, download rejects ERR_INVALID_PARAM).
const receipt = await wxpay.v3.transfer.billReceipt._out_batch_no_.get({ out_batch_no: 'plfk2020042013' });
const receiptBytes: Uint8Array = await wxpay.download(receipt.data);
const signed = await wxpay.v3.fundApp.mchTransfer.elecsign.outBillNo._out_bill_no_.get({ out_bill_no: 'plfk2020042013' });
const signedStream: ReadableStream<Uint8Array> = await wxpay.download(signed.data, { stream: true });
// `stream` known only at run time: either.
declare const streamed: boolean;
const either = await wxpay.download(data, { stream: streamed });
type _either = Expect<Equal<typeof either, WxpayBytes | ReadableStream<WxpayBytes>>>;

const trade = parseBill<TradeBillRow, TradeBillSummary>(bytes);
type _trade = Expect<Equal<typeof trade, ParsedBill<TradeBillRow, TradeBillSummary>>>;
const orderNo: string = trade.rows[0]!.商户订单号;
const total: string = trade.summary.总交易单数;
const fund = readBill<FundFlowBillRow>(stream);
for await (const row of fund) {
  const amount: string = row['收支金额（元）'];
}
const summary: Record<string, string> | undefined = fund.summary;

const form: FormData = uploadForm(new Uint8Array(1), 'a.jpg', { meta: { filename: 'a.jpg' }, fields: { item_id: 56 } });
await wxpay.v3.merchant.media.upload.post(form);

// The answers the runtime hands back as bytes (src/response.rs: the unsigned downloads, the
// complaint images, the statements) are typed WxpayBytes: a bill goes straight to parseBill.
const billFile = await wxpay.v3.billdownload.file.get({ params: { token: 'abc', tartype: 'GZIP' } });
type _billFile = Expect<Equal<typeof billFile, WxpayResponse<WxpayBytes, 200>>>;
const billBytes: Uint8Array = billFile.data;
parseBill<TradeBillRow, TradeBillSummary>(billFile.data);
type DataOf<F extends (...args: never[]) => Promise<{ data: unknown }>> = Awaited<ReturnType<F>>['data'];
type _signfile = Expect<Equal<DataOf<typeof wxpay.v3.transferdownload.signfile.get>, WxpayBytes>>;
type _elecvoucher = Expect<Equal<DataOf<typeof wxpay.v3.transferdownload.elecvoucherfile.get>, WxpayBytes>>;
type _image = Expect<Equal<DataOf<typeof wxpay.v3.merchantService.images._media_id_.get>, WxpayBytes>>;
type _globalImage = Expect<Equal<DataOf<typeof wxpay.v3.global.merchantService.images._media_id_.get>, WxpayBytes>>;
type _statement = Expect<Equal<DataOf<typeof wxpay.v3.global.statements.get>, WxpayBytes>>;

const code: WxpayErrorCode = 'ERR_DIGEST_MISMATCH';
// @ts-expect-error TS2339: a file's bytes have no JSON fields
billFile.data.download_url;
// @ts-expect-error TS2741: each encrypted part needs its encrypt_key
await wxpay.download({ download_bill_list: [{ bill_sequence: 1, download_url: 'u', hash_type: 'SHA1', hash_value: 'h', nonce: 'n' }] });
// @ts-expect-error TS2345: a flow file's url comes with its hash_type and hash_value
await wxpay.download({ url: 'x' });
// A 代金券 batch's flow file, as its answer names it.
await wxpay.download({ url: 'https://api.mch.weixin.qq.com/v3/billdownload/file?token=t', hash_type: 'SHA1', hash_value: 'h' });
// @ts-expect-error TS2345: an empty object names no file (neither download_url nor the encrypted parts)
await wxpay.download({});

// @ts-expect-error TS2322: with a run-time `stream`, the answer may be a stream
const notSure: Uint8Array = await wxpay.download(data, { stream: streamed });

export { billBytes, subBytes, subStream, receiptBytes, signedStream, notSure };

// Optional options given as undefined (exactOptionalPropertyTypes in tsconfig.bundler.json).
declare const maybeType: string | undefined;
uploadForm(new Uint8Array(3), 'a.jpg', { type: maybeType, field: undefined, meta: undefined, fields: undefined });

// helper-110: under exactOptionalPropertyTypes (tsconfig.bundler.json) an optional field may be given
// as `undefined`, as README says: `stream: undefined` is the bytes (before: the third overload's
// union), and a WxpayError made by a test double takes a status or request id that may be undefined.
declare const maybe: { status: number | undefined; requestId: string | undefined };
const undefinedStream = await wxpay.download(data, { stream: undefined });
type _undefinedStream = Expect<Equal<typeof undefinedStream, WxpayBytes>>;
const made = new WxpayError('ERR_NETWORK', 'down', { status: maybe.status, requestId: maybe.requestId, response: undefined });
type _made = Expect<Equal<typeof made.status, number | undefined>>;
