// 商家转账 (用户确认模式): a merchant pays a user, who confirms the payment in WeChat.
// POST /v3/fund-app/mch-transfer/transfer-bills takes a bill (WAIT_USER_CONFIRM, with the
// `package_info` the front end hands to wx.requestMerchantTransfer); the same out_bill_no answers
// the same bill. GET .../transfer-bills/out-bill-no/{out_bill_no} and
// .../transfer-bills/transfer-bill-no/{transfer_bill_no} answer it; POST
// .../out-bill-no/{out_bill_no}/cancel takes it back before the user confirms (CANCELING).
// `settle(out_bill_no, { state, fail_reason })` plays the user and the bank: a bill waiting for
// the user becomes SUCCESS (the user confirmed) or FAIL, a CANCELING one CANCELLED; it returns
// the resource of its MCHTRANSFER.BILL.FINISHED notification.
// A `user_name` goes in RSAES-OAEP (SHA-1) encrypted under the platform key its Wechatpay-Serial
// names; from 2,000 yuan (200,000 fen) on it is required.
import crypto from 'node:crypto';
import { OAEP, answered, beijing, decryptedField, jsonObject, ok, paramError, str } from './payments.mjs';

/** From this many fen on, a transfer must name its payee (`user_name`). */
export const NAME_FROM = 200000;
const BASE = '/v3/fund-app/mch-transfer/transfer-bills';

/**
 * `route(req, path, body)` answers these routes (or returns undefined). `mchid` is the signing
 * merchant; `merchantPublic()` its public key (the query answers `user_name` under it);
 * `decrypter(serial)` the private key of a platform serial or public key id, or null.
 */
export function transferRoutes({ mchid, merchantPublic, decrypter }) {
  const bills = new Map(); // out_bill_no -> the bill as its query answers it

  function create(req, data) {
    for (const f of ['appid', 'out_bill_no', 'transfer_scene_id', 'openid', 'transfer_remark'])
      if (!str(data[f])) return paramError(`${f} is required`, f);
    if (!/^[0-9A-Za-z]+$/.test(data.out_bill_no)) return paramError('out_bill_no may hold only digits and letters', 'out_bill_no');
    if (!Number.isSafeInteger(data.transfer_amount) || data.transfer_amount < 1) return paramError('transfer_amount must be a positive integer (fen)', 'transfer_amount');
    const infos = data.transfer_scene_report_infos;
    if (!Array.isArray(infos) || infos.length === 0 || !infos.every((i) => str(i?.info_type) && str(i.info_content)))
      return paramError('transfer_scene_report_infos must list { info_type, info_content }', 'transfer_scene_report_infos');
    let name;
    if (data.user_name !== undefined) {
      const field = decryptedField(decrypter, req, 'user_name', data.user_name);
      if (field.refused) return field.refused;
      name = field.value;
    } else if (data.transfer_amount >= NAME_FROM) {
      return paramError('user_name is required from 2,000 yuan on', 'user_name');
    }
    const same = bills.get(data.out_bill_no);
    if (same) {
      if (same.openid !== data.openid || same.transfer_amount !== data.transfer_amount) return { status: 400, json: { code: 'INVALID_REQUEST', message: '商户单号重复' } };
      return ok(created(same));
    }
    const now = beijing();
    const bill = {
      mch_id: mchid, out_bill_no: data.out_bill_no, transfer_bill_no: `1330000${crypto.randomInt(1e9).toString().padStart(9, '0')}${Date.now()}`,
      appid: data.appid, state: 'WAIT_USER_CONFIRM', transfer_amount: data.transfer_amount, transfer_remark: data.transfer_remark,
      openid: data.openid, create_time: now, update_time: now,
      name$: name, notify_url$: data.notify_url, package_info$: crypto.randomBytes(48).toString('base64'),
    };
    bills.set(data.out_bill_no, bill);
    return ok(created(bill));
  }

  /** The creation's answer; `package_info` only while the user can still confirm. */
  const created = (b) => ({
    out_bill_no: b.out_bill_no, transfer_bill_no: b.transfer_bill_no, create_time: b.create_time, state: b.state,
    ...(b.state === 'WAIT_USER_CONFIRM' ? { package_info: b.package_info$ } : {}),
    ...(b.fail_reason === undefined ? {} : { fail_reason: b.fail_reason }),
  });

  /** The query's answer: the payee's name, if given, encrypted for the merchant. */
  const queried = (b) => ({
    ...answered(b),
    ...(b.name$ === undefined ? {} : { user_name: crypto.publicEncrypt({ key: merchantPublic(), ...OAEP }, Buffer.from(b.name$, 'utf8')).toString('base64') }),
  });

  function cancel(no) {
    const b = bills.get(no);
    if (!b) return { status: 404, json: { code: 'NOT_FOUND', message: '转账单不存在' } };
    if (!['ACCEPTED', 'PROCESSING', 'WAIT_USER_CONFIRM', 'TRANSFERING'].includes(b.state))
      return { status: 400, json: { code: 'INVALID_REQUEST', message: `the bill is ${b.state}: it can no longer be cancelled` } };
    Object.assign(b, { state: 'CANCELING', update_time: beijing() });
    return ok({ out_bill_no: b.out_bill_no, transfer_bill_no: b.transfer_bill_no, state: b.state, update_time: b.update_time });
  }

  /**
   * The user and the bank: a bill waiting for the user becomes `state` (SUCCESS, the default, or
   * FAIL with `fail_reason`), a CANCELING one CANCELLED. Returns the resource of its
   * MCHTRANSFER.BILL.FINISHED notification and the URL it goes to (the bill's notify_url, if any).
   */
  function settle(out_bill_no, { state = 'SUCCESS', fail_reason = 'PAYEE_ACCOUNT_ABNORMAL' } = {}) {
    const b = bills.get(out_bill_no);
    if (!b) throw new TypeError(`no transfer bill ${out_bill_no}`);
    if (b.state === 'CANCELING') state = 'CANCELLED';
    else if (b.state !== 'WAIT_USER_CONFIRM' && b.state !== 'ACCEPTED' && b.state !== 'PROCESSING' && b.state !== 'TRANSFERING') throw new TypeError(`transfer bill ${out_bill_no} is ${b.state}`);
    else if (state !== 'SUCCESS' && state !== 'FAIL') throw new TypeError(`a transfer ends SUCCESS or FAIL, not ${state}`);
    Object.assign(b, { state, update_time: beijing(), ...(state === 'FAIL' ? { fail_reason } : {}) });
    const resource = {
      out_bill_no: b.out_bill_no, transfer_bill_no: b.transfer_bill_no, state: b.state, mch_id: b.mch_id,
      transfer_amount: b.transfer_amount, openid: b.openid, ...(b.fail_reason === undefined ? {} : { fail_reason: b.fail_reason }),
      create_time: b.create_time, update_time: b.update_time,
    };
    return { resource, notify_url: b.notify_url$ };
  }

  function route(req, path, body) {
    let m;
    if (req.method === 'GET' && (m = /^\/v3\/fund-app\/mch-transfer\/transfer-bills\/(out-bill-no|transfer-bill-no)\/([^/]+)$/.exec(path))) {
      const key = decodeURIComponent(m[2]);
      const b = m[1] === 'out-bill-no' ? bills.get(key) : [...bills.values()].find((x) => x.transfer_bill_no === key);
      return b ? ok(queried(b)) : { status: 404, json: { code: 'NOT_FOUND', message: '转账单不存在' } };
    }
    if (req.method !== 'POST') return undefined;
    if ((m = /^\/v3\/fund-app\/mch-transfer\/transfer-bills\/out-bill-no\/([^/]+)\/cancel$/.exec(path))) return cancel(decodeURIComponent(m[1]));
    if (path !== BASE) return undefined;
    const { data, refused } = jsonObject(body);
    if (refused) return refused;
    return create(req, data);
  }
  return { route, bills, settle, clear: () => bills.clear() };
}
