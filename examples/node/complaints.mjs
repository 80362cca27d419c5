// 消费者投诉2.0 with wxpay-wasm: a merchant's complaints desk (a direct merchant's, or a partner's for
// itself and its sub-merchants, 服务商: `subMchids`). WeChat Pay tells it of each
// new complaint and each change (COMPLAINT.CREATE, COMPLAINT.STATE_CHANGE, at the URL set with
// `subscribe`; the desk's own replies and decisions are told too); the notification names only the
// complaint and what happened, so the desk reads the complaint afresh (the payer's phone decrypted
// with the merchant key), its negotiation history and its images; it answers the payer (with
// images it uploads), approves or rejects a refund request, refunds, and says the complaint is
// done. `sync` reads every complaint of a period, for when notifications were missed.
// tests/node/complaints.test.mjs runs a day of it against the sandbox.
import { uploadForm } from 'wxpay-wasm';
import { notifyHandler } from './notify.mjs';
import { Handled, refused, sendOnce } from './records.mjs';

const DAY = 86400e3;
/**
 * The dates one complaints-v2 list request spans, both ends counted: the service allows "at most
 * 30 days" between them, which 30 dates satisfy however it counts.
 */
export const MAX_SPAN_DATES = 30;
/** A reply or a rejection carries at most 4 images, each JPG, BMP or PNG of at most 2 MB. */
export const MAX_IMAGES = 4;
export const MAX_IMAGE_BYTES = 2 * 1024 * 1024;
const IMAGE_TYPES = { jpg: 'image/jpeg', jpeg: 'image/jpeg', bmp: 'image/bmp', png: 'image/png' };
/** out_refund_no: at most 64 of 0-9 A-Z a-z _ - | * @ (the service's). */
const MAX_REFUND_NUMBER = 64;

/** `ms` as a date in Beijing, yyyy-MM-dd, as the list request takes it. */
export const beijingDate = (ms) => new Date(ms + 8 * 3600e3).toISOString().slice(0, 10);

/**
 * The media_id of an image URL of the API a complaint lists (its `complaint_media_list`, or a
 * history entry's): …/v3/merchant-service/images/{media_id}.
 */
export function mediaIdOf(url) {
  let path;
  try { path = new URL(url).pathname; } catch { path = ''; }
  const m = /^\/v3\/merchant-service\/images\/([^/]+)$/.exec(path);
  if (!m) throw new TypeError('not a complaint image URL (…/v3/merchant-service/images/{media_id})');
  return decodeURIComponent(m[1]);
}

export class Complaints {
  /**
   * @param {import('wxpay-wasm').Wxpay} wxpay  a client with `apiv3Key` (notifications)
   * @param {{ mchid: string, subMchids?: string[], notifyUrl: string, onComplaint?: (complaint, action_type: string) => unknown, onError?: (err, notification?) => void, onRejected?: (err) => void }} options
   *   the merchant id the client signs as; for a partner, the sub-merchants whose complaints this
   *   desk handles too (a complaint about any other merchant is not kept: it is told to
   *   `onError`); the public URL of `notify` (complaint and refund
   *   notifications); what to do once a notified complaint has been read afresh (throw, and WeChat
   *   Pay sends the notification again later); who hears of a notification that could not be
   *   handled (answered with a failure, so sent again), or of a listed complaint left out; and who
   *   hears of notifications refused as not WeChat Pay's
   */
  constructor(wxpay, { mchid, subMchids = [], notifyUrl, onComplaint, onError = () => {}, onRejected }) {
    this.wxpay = wxpay;
    Object.assign(this, { mchid, subMchids: [...subMchids], notifyUrl });
    this.onComplaint = onComplaint;
    this.onError = onError;
    /**
     * complaint_id -> the complaint as the service last answered it (payer_phone decrypted into
     * `phone`), with `actions`: the action_type of each notification handled for it, in order.
     */
    this.complaints = new Map();
    /** out_refund_no -> { complaint_id, transaction_id, amount, state, refund_id? } */
    this.refunds = new Map();
    this.handled = new Handled(); // notification ids, for as long as WeChat Pay may send one again
    /** The node:http handler of notifyUrl. */
    this.notify = notifyHandler(wxpay, { onNotification: (n) => this.#onNotification(n), ...(onRejected ? { onRejected } : {}) });
  }

  /**
   * Each read of a complaint (alone, or a page of the list) is numbered as it is sent; per
   * complaint, the number of the answer kept: an answer heard after a newer one's is not kept.
   */
  #sent = 0;
  #kept = new Map();
  #handling = new Map(); // notification id -> its handling, while it runs

  get #api() {
    return this.wxpay.v3.merchantService;
  }

  /**
   * 创建/更新投诉通知回调: makes `notifyUrl` the URL complaint notifications go to (kept when it
   * already is). Resolves the URL set.
   */
  async subscribe() {
    const api = this.#api.complaintNotifications;
    let current;
    try {
      ({ data: current } = await api.get());
    } catch (err) {
      // None set yet: the service answers RESOURCE_NOT_EXISTS (a 400 in its pages, a 404 elsewhere).
      if (!(refused(err) && err.code === 'RESOURCE_NOT_EXISTS')) throw err;
    }
    if (current?.url === this.notifyUrl) return current.url;
    const { data } = current === undefined ? await api.post({ url: this.notifyUrl }) : await api.put({ url: this.notifyUrl });
    return data.url;
  }

  /** 删除投诉通知回调: complaints are no longer notified (read them with `sync`). */
  async unsubscribe() {
    await this.#api.complaintNotifications.delete();
  }

  /** Handles each notification id once: the same id heard again while it is handled waits for that. */
  #onNotification(notification) {
    const { id } = notification;
    if (this.handled.has(id)) return undefined;
    let handling = this.#handling.get(id);
    if (!handling) {
      handling = this.#handle(notification)
        .catch((err) => {
          this.onError(err, notification);
          throw err;
        })
        .finally(() => this.#handling.delete(id));
      this.#handling.set(id, handling);
    }
    return handling;
  }

  async #handle({ id, event_type, resource }) {
    if (event_type.startsWith('COMPLAINT.')) {
      if (typeof resource.complaint_id !== 'string' || typeof resource.action_type !== 'string') throw new Error(`unexpected ${event_type}`);
      // It names only the complaint and what happened: read the complaint itself.
      const complaint = await this.read(resource.complaint_id);
      await this.onComplaint?.(complaint, resource.action_type);
      // Recorded once handled: a handler that threw hears it again, and it is recorded then.
      complaint.actions.push(resource.action_type);
    } else if (event_type.startsWith('REFUND.')) {
      const refund = this.refunds.get(resource.out_refund_no);
      // Trust it only for a refund of ours, of its payment (its sub-merchant's, for a partner) and amount.
      if (!refund || resource.transaction_id !== refund.transaction_id || resource.sub_mchid !== refund.sub_mchid || resource.amount?.refund !== refund.amount) throw new Error(`unexpected refund ${resource.out_refund_no}`);
      refund.state = resource.refund_status;
    } else {
      throw new Error(`unexpected ${event_type}`);
    }
    this.handled.add(id);
  }

  /**
   * Keeps the complaint `data` as the service answered it to read number `at`: the phone
   * decrypted, the fields a list leaves out (payer_openid) and the actions heard kept; not when
   * an answer to a newer read is kept already.
   */
  async #keep(data, at) {
    if (data.complainted_mchid !== this.mchid && !this.subMchids.includes(data.complainted_mchid)) throw new Error(`complaint ${data.complaint_id} is not about this merchant or one of its sub-merchants`);
    const { payer_phone, ...fields } = data;
    const phone = payer_phone === undefined ? undefined : await this.wxpay.decrypt(payer_phone);
    const id = data.complaint_id;
    const known = this.complaints.get(id);
    if (known && this.#kept.get(id) > at) return known;
    const complaint = { ...known, ...fields, ...(phone === undefined ? {} : { phone }), actions: known?.actions ?? [] };
    this.complaints.set(id, complaint);
    this.#kept.set(id, at);
    return complaint;
  }

  /** 查询投诉单详情: the complaint as the service has it now (kept in `complaints`). */
  async read(complaint_id) {
    const at = ++this.#sent;
    const { data } = await this.#api.complaintsV2._complaint_id_.get({ complaint_id });
    return this.#keep(data, at);
  }

  /**
   * 查询投诉单列表: every complaint made from `from` to `to` (Dates, or ms; days in Beijing time),
   * asked 30 dates a request and 50 complaints a page, each kept (one not about this merchant or
   * its sub-merchants is left out, and told to `onError`); a partner may ask for one merchant's
   * alone (`complainted_mchid`). Resolves their ids, each once.
   */
  async sync(from, to = Date.now(), { complainted_mchid } = {}) {
    const [start, end] = [new Date(from).getTime(), new Date(to).getTime()];
    if (!Number.isFinite(start) || !Number.isFinite(end) || end < start) throw new TypeError('sync(from, to): two dates, from first');
    const ids = new Set();
    for (let day = start; beijingDate(day) <= beijingDate(end); day += MAX_SPAN_DATES * DAY) {
      const params = {
        begin_date: beijingDate(day), end_date: beijingDate(Math.min(day + (MAX_SPAN_DATES - 1) * DAY, end)), limit: 50,
        ...(complainted_mchid === undefined ? {} : { complainted_mchid }),
      };
      for (let offset = 0; ;) {
        const at = ++this.#sent;
        const { data } = await this.#api.complaintsV2.get({ params: { ...params, offset } });
        for (const item of data.data) {
          try {
            ids.add((await this.#keep(item, at)).complaint_id);
          } catch (err) {
            this.onError(err);
          }
        }
        offset += data.data.length;
        if (data.data.length === 0 || offset >= data.total_count) break;
      }
    }
    return [...ids];
  }

  /** 查询投诉协商历史: every entry of the complaint's negotiation history, oldest first, 300 a page. */
  async history(complaint_id) {
    const entries = [];
    let total;
    for (let offset = 0; ;) {
      const { data } = await this.#api.complaintsV2._complaint_id_.negotiationHistorys.get({ complaint_id, params: { offset, limit: 300 } });
      total ??= data.total_count; // given with the first page
      entries.push(...data.data);
      offset += data.data.length;
      if (data.data.length === 0 || total === undefined || offset >= total) return entries;
    }
  }

  /**
   * 图片请求: the bytes of an image of the API a complaint lists (its `complaint_media_list`, or
   * a history entry's), asked of this client's own host by its media id, never of the URL's.
   */
  async image(url) {
    const { data } = await this.#api.images._media_id_.get({ media_id: mediaIdOf(url) });
    return data;
  }

  /** 商户上传反馈图片: `{ bytes, filename }` (JPG, BMP or PNG, at most 2 MB). Resolves its media_id. */
  async upload({ bytes, filename }) {
    checkImage({ bytes, filename });
    const { data } = await this.#api.images.upload.post(uploadForm(bytes, filename, { type: imageType(filename) }));
    return data.media_id;
  }

  /** The media ids of up to 4 images, uploaded one by one (all checked before any is sent). */
  async #uploaded(images) {
    if (!Array.isArray(images) || images.length > MAX_IMAGES) throw new TypeError(`at most ${MAX_IMAGES} images`);
    images.forEach(checkImage);
    const ids = [];
    for (const image of images) ids.push(await this.upload(image));
    return ids;
  }

  /** The complaint `complaint_id`, read first if it is not kept yet. */
  async #complaint(complaint_id) {
    return this.complaints.get(complaint_id) ?? this.read(complaint_id);
  }

  /** How many entries of the complaint's history are of `operate_type` (and say `details`, if given). */
  async #count(complaint_id, operate_type, details) {
    return (await this.history(complaint_id)).filter((h) => h.operate_type === operate_type && (details === undefined || h.operate_details === details)).length;
  }

  /**
   * Sends `call()`, a call on the complaint whose effect the history shows as `seen()` (a count
   * of its entries): after an answer that did not come back well, the history says whether it
   * was taken, so calling again after a lost answer never does it twice, and a refusal of a call
   * that was taken before (its answer lost) is no error.
   */
  async #once(call, seen, before) {
    try {
      await call();
    } catch (err) {
      let taken = false;
      try { taken = (await seen()) > before; } catch { /* the history cannot be read now: the call's error stands */ }
      if (taken) return;
      throw err;
    }
  }

  /**
   * 回复用户: answers the payer with `text` and up to 4 `images` ({ bytes, filename }), and
   * optionally a link (`jump: { url, text }`) or a mini program page (`miniProgram: { appid, path,
   * text }`). A reply whose answer was lost is found in the history, not sent twice. Resolves the
   * complaint read afresh.
   */
  async reply(complaint_id, text, { images = [], jump, miniProgram } = {}) {
    if (typeof text !== 'string' || text === '') throw new TypeError('a reply has text');
    // The complaint first: one this desk may not answer uploads nothing.
    const { complainted_mchid } = await this.#complaint(complaint_id);
    const response_images = await this.#uploaded(images);
    const seen = () => this.#count(complaint_id, 'MERCHANT_RESPONSE', text);
    await this.#once(() => this.#api.complaintsV2._complaint_id_.response.post({
      complainted_mchid, response_content: text,
      ...(response_images.length ? { response_images } : {}),
      ...(jump ? { jump_url: jump.url, jump_url_text: jump.text } : {}),
      ...(miniProgram ? { mini_program_jump_info: miniProgram } : {}),
    }, { complaint_id }), seen, await seen());
    return this.read(complaint_id);
  }

  /**
   * 更新退款审批结果, approving a refund request: the refund starts within `days` working days
   * (0: today); call `refund` to make it. Resolves the complaint read afresh.
   */
  async approveRefund(complaint_id, { days = 0, remark } = {}) {
    if (!Number.isSafeInteger(days) || days < 0) throw new TypeError('days: working days until the refund, 0 or more');
    const seen = () => this.#count(complaint_id, 'MERCHANT_APPROVE_REFUND');
    await this.#once(() => this.#api.complaintsV2._complaint_id_.updateRefundProgress.post({
      action: 'APPROVE', launch_refund_day: days, ...(remark === undefined ? {} : { remark }),
    }, { complaint_id }), seen, 0);
    return this.read(complaint_id);
  }

  /** 更新退款审批结果, rejecting a refund request with `reason` and up to 4 `images`: the complaint ends. */
  async rejectRefund(complaint_id, reason, { images = [], remark } = {}) {
    if (typeof reason !== 'string' || reason === '') throw new TypeError('a rejection has a reason');
    const reject_media_list = await this.#uploaded(images);
    await this.#once(() => this.#api.complaintsV2._complaint_id_.updateRefundProgress.post({
      action: 'REJECT', reject_reason: reason, ...(reject_media_list.length ? { reject_media_list } : {}), ...(remark === undefined ? {} : { remark }),
    }, { complaint_id }), () => this.#count(complaint_id, 'MERCHANT_REFUSE_RERUND'), 0);
    return this.read(complaint_id);
  }

  /**
   * 申请退款 for the complaint: refunds each order it names, the amount the payer asked
   * (`apply_refund_amount`, one order) or the order's whole, unless `amount` says (one order). A
   * refund request is refunded once approved (`approveRefund`). One refund an order, its number
   * made from the complaint's (`C<complaint_id>-<n>`): calling again after a lost answer asks for
   * the same refund, never a second one; another amount for an order refunded already is refused
   * here (make it from your own records). Resolves the refunds.
   */
  async refund(complaint_id, { amount, reason = '消费者投诉退款' } = {}) {
    const complaint = await this.#complaint(complaint_id);
    const orders = complaint.complaint_order_info ?? [];
    if (orders.length === 0) throw new Error(`complaint ${complaint_id} names no order`);
    if (amount !== undefined && (orders.length !== 1 || !Number.isSafeInteger(amount) || amount < 1)) throw new TypeError('amount: fen, for a complaint about one order');
    if (complaint.problem_type === 'REFUND' && (await this.#count(complaint_id, 'MERCHANT_APPROVE_REFUND')) === 0) throw new Error(`approve complaint ${complaint_id}'s refund request first`);
    const asked = amount ?? (orders.length === 1 ? complaint.apply_refund_amount : undefined);
    // A sub-merchant's order is refunded as the partner refunds it: under its sub_mchid.
    const sub = complaint.complainted_mchid === this.mchid ? {} : { sub_mchid: complaint.complainted_mchid };
    const planned = orders.map((order, i) => ({ order, out_refund_no: `C${complaint_id}-${i + 1}`, refundAmount: asked ?? order.amount }));
    for (const { out_refund_no, refundAmount } of planned) {
      if (out_refund_no.length > MAX_REFUND_NUMBER) throw new Error(`complaint ${complaint_id}: its refund numbers would be over ${MAX_REFUND_NUMBER} characters`);
      const kept = this.refunds.get(out_refund_no);
      if (kept && kept.amount !== refundAmount) throw new Error(`${out_refund_no} refunded ${kept.amount} already, not ${refundAmount}`);
    }
    const out = [];
    for (const { order, out_refund_no, refundAmount } of planned) {
      const { record } = await sendOnce(this.refunds, out_refund_no, { complaint_id, transaction_id: order.transaction_id, amount: refundAmount, ...sub }, {
        send: () => this.wxpay.v3.refund.domestic.refunds.post({
          ...sub, transaction_id: order.transaction_id, out_refund_no, reason, notify_url: this.notifyUrl,
          amount: { refund: refundAmount, total: order.amount, currency: 'CNY' },
        }),
        query: () => this.wxpay.v3.refund.domestic.refunds._out_refund_no_.get({ out_refund_no, ...(sub.sub_mchid ? { params: sub } : {}) }),
        stateOf: (data) => data.status,
        notFoundCode: 'RESOURCE_NOT_EXISTS',
      });
      out.push({ out_refund_no, ...record });
    }
    return out;
  }

  /** 反馈处理完成: the complaint is handled (again after a lost answer: no error). Resolves it read afresh. */
  async complete(complaint_id) {
    const { complainted_mchid } = await this.#complaint(complaint_id);
    await this.#once(() => this.#api.complaintsV2._complaint_id_.complete.post({ complainted_mchid }, { complaint_id }),
      () => this.#count(complaint_id, 'MERCHANT_CONFIRM_COMPLETE'), 0);
    return this.read(complaint_id);
  }
}

/** The content type of an image file by its name's extension (undefined: not one we send). */
const imageType = (filename) => IMAGE_TYPES[/\.([a-z]+)$/i.exec(typeof filename === 'string' ? filename : '')?.[1].toLowerCase()];

/** Refuses an image the service would: not JPG, BMP or PNG by its name, empty, or over 2 MB. */
function checkImage({ bytes, filename } = {}) {
  if (imageType(filename) === undefined) throw new TypeError('an image is a .jpg, .bmp or .png file');
  if (!(bytes instanceof Uint8Array) || bytes.length === 0 || bytes.length > MAX_IMAGE_BYTES) throw new TypeError('an image is 1 byte to 2 MB');
}
