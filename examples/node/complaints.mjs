// 消费者投诉2.0 with wxpay-wasm: a direct merchant's complaints desk. WeChat Pay tells it of each
// new complaint and each change (COMPLAINT.CREATE, COMPLAINT.STATE_CHANGE, at the URL set with
// `subscribe`); the notification names only the complaint and what happened, so the desk reads
// the complaint afresh (the payer's phone decrypted with the merchant key), its negotiation
// history and its images; it answers the payer (with images it uploads), approves or rejects a
// refund request, refunds, and says the complaint is done. `sync` reads every complaint of a
// period, 30 days a request, for when notifications were missed.
// tests/node/complaints.test.mjs runs a day of it against the sandbox.
import { uploadForm } from 'wxpay-wasm';
import { notifyHandler } from './notify.mjs';
import { refused, sendOnce } from './records.mjs';

const DAY = 86400e3;
/** The most days one complaints-v2 list request may span (the service's rule). */
export const MAX_SPAN_DAYS = 30;
/** A reply or a rejection carries at most 4 images, each JPG, BMP or PNG of at most 2 MB. */
export const MAX_IMAGES = 4;
export const MAX_IMAGE_BYTES = 2 * 1024 * 1024;
const IMAGE_TYPES = { jpg: 'image/jpeg', jpeg: 'image/jpeg', bmp: 'image/bmp', png: 'image/png' };

/** `ms` as a date in Beijing, yyyy-MM-dd, as the list request takes it. */
const beijingDate = (ms) => new Date(ms + 8 * 3600e3).toISOString().slice(0, 10);

/** The media_id of an image URL a complaint or its history lists (…/v3/merchant-service/images/{media_id}). */
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
   * @param {{ mchid: string, notifyUrl: string, onComplaint?: (complaint, action_type: string) => unknown, onRejected?: (err) => void }} options
   *   the merchant id the client signs as, the public URL of `notify` (complaint and refund
   *   notifications), what to do once a notified complaint has been read afresh (throw, and WeChat
   *   Pay sends the notification again later), and who hears of notifications refused as not
   *   WeChat Pay's
   */
  constructor(wxpay, { mchid, notifyUrl, onComplaint, onRejected }) {
    this.wxpay = wxpay;
    Object.assign(this, { mchid, notifyUrl });
    this.onComplaint = onComplaint;
    /**
     * complaint_id -> the complaint as the service last answered it (payer_phone decrypted into
     * `phone`), with `actions`: the action_type of each notification heard for it, in order.
     */
    this.complaints = new Map();
    /** out_refund_no -> { complaint_id, transaction_id, amount, state, refund_id? } */
    this.refunds = new Map();
    this.handled = new Set(); // notification ids
    /** The node:http handler of notifyUrl. */
    this.notify = notifyHandler(wxpay, { onNotification: (n) => this.#onNotification(n), ...(onRejected ? { onRejected } : {}) });
  }

  /**
   * Each read of a complaint (alone, or a page of the list) is numbered as it is sent; per
   * complaint, the number of the answer kept: an answer heard after a newer one's is not kept.
   */
  #sent = 0;
  #kept = new Map();

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
      handling = this.#handle(notification).finally(() => this.#handling.delete(id));
      this.#handling.set(id, handling);
    }
    return handling;
  }

  #handling = new Map(); // notification id -> its handling, while it runs

  async #handle({ id, event_type, resource }) {
    if (event_type.startsWith('COMPLAINT.')) {
      if (typeof resource.complaint_id !== 'string' || typeof resource.action_type !== 'string') throw new Error(`unexpected ${event_type}`);
      // It names only the complaint and what happened: read the complaint itself.
      const complaint = await this.read(resource.complaint_id);
      complaint.actions.push(resource.action_type);
      await this.onComplaint?.(complaint, resource.action_type);
    } else if (event_type.startsWith('REFUND.')) {
      const refund = this.refunds.get(resource.out_refund_no);
      // Trust it only for a refund of ours, of its payment and amount.
      if (!refund || resource.transaction_id !== refund.transaction_id || resource.amount?.refund !== refund.amount) throw new Error(`unexpected refund ${resource.out_refund_no}`);
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
    if (data.complainted_mchid !== this.mchid) throw new Error(`complaint ${data.complaint_id} is not about this merchant`);
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
   * asked 30 days a request and 50 complaints a page, each kept. Resolves their ids.
   */
  async sync(from, to = Date.now()) {
    const [start, end] = [new Date(from).getTime(), new Date(to).getTime()];
    if (!Number.isFinite(start) || !Number.isFinite(end) || end < start) throw new TypeError('sync(from, to): two dates, from first');
    const ids = [];
    for (let day = start; beijingDate(day) <= beijingDate(end); day += (MAX_SPAN_DAYS + 1) * DAY) {
      const params = { begin_date: beijingDate(day), end_date: beijingDate(Math.min(day + MAX_SPAN_DAYS * DAY, end)), limit: 50 };
      for (let offset = 0; ;) {
        const at = ++this.#sent;
        const { data } = await this.#api.complaintsV2.get({ params: { ...params, offset } });
        for (const item of data.data) ids.push((await this.#keep(item, at)).complaint_id);
        offset += data.data.length;
        if (data.data.length === 0 || offset >= data.total_count) break;
      }
    }
    return ids;
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

  /** 图片请求: the bytes of an image a complaint or its history lists (by its URL), asked of this client's own host. */
  async image(url) {
    const { data } = await this.#api.images._media_id_.get({ media_id: mediaIdOf(url) });
    return data;
  }

  /** 商户上传反馈图片: `{ bytes, filename }` (JPG, BMP or PNG, at most 2 MB). Resolves its media_id. */
  async upload({ bytes, filename }) {
    const type = IMAGE_TYPES[/\.([a-z]+)$/i.exec(filename ?? '')?.[1].toLowerCase()];
    if (type === undefined) throw new TypeError('an image is a .jpg, .bmp or .png file');
    if (!(bytes instanceof Uint8Array) || bytes.length === 0 || bytes.length > MAX_IMAGE_BYTES) throw new TypeError('an image is 1 byte to 2 MB');
    const { data } = await this.#api.images.upload.post(uploadForm(bytes, filename, { type }));
    return data.media_id;
  }

  /** The media ids of up to 4 images, uploaded one by one (checked before any is sent). */
  async #uploaded(images) {
    if (!Array.isArray(images) || images.length > MAX_IMAGES) throw new TypeError(`at most ${MAX_IMAGES} images`);
    const ids = [];
    for (const image of images) ids.push(await this.upload(image));
    return ids;
  }

  /** The complaint `complaint_id`, read first if it is not kept yet. */
  async #complaint(complaint_id) {
    return this.complaints.get(complaint_id) ?? this.read(complaint_id);
  }

  /**
   * 回复用户: answers the payer with `text` and up to 4 `images` ({ bytes, filename }), and
   * optionally a link (`jump: { url, text }`) or a mini program page (`miniProgram: { appid, path,
   * text }`). Resolves the complaint read afresh.
   */
  async reply(complaint_id, text, { images = [], jump, miniProgram } = {}) {
    if (typeof text !== 'string' || text === '') throw new TypeError('a reply has text');
    const response_images = await this.#uploaded(images);
    await this.#api.complaintsV2._complaint_id_.response.post({
      complainted_mchid: this.mchid, response_content: text,
      ...(response_images.length ? { response_images } : {}),
      ...(jump ? { jump_url: jump.url, jump_url_text: jump.text } : {}),
      ...(miniProgram ? { mini_program_jump_info: miniProgram } : {}),
    }, { complaint_id });
    return this.read(complaint_id);
  }

  /**
   * 更新退款审批结果, approving a refund request: the refund starts within `days` working days
   * (0: today); call `refund` to make it. Resolves the complaint read afresh.
   */
  async approveRefund(complaint_id, { days = 0, remark } = {}) {
    await this.#api.complaintsV2._complaint_id_.updateRefundProgress.post({
      action: 'APPROVE', launch_refund_day: days, ...(remark === undefined ? {} : { remark }),
    }, { complaint_id });
    return this.read(complaint_id);
  }

  /** 更新退款审批结果, rejecting a refund request with `reason` and up to 4 `images`: the complaint ends. */
  async rejectRefund(complaint_id, reason, { images = [], remark } = {}) {
    if (typeof reason !== 'string' || reason === '') throw new TypeError('a rejection has a reason');
    const reject_media_list = await this.#uploaded(images);
    await this.#api.complaintsV2._complaint_id_.updateRefundProgress.post({
      action: 'REJECT', reject_reason: reason, ...(reject_media_list.length ? { reject_media_list } : {}), ...(remark === undefined ? {} : { remark }),
    }, { complaint_id });
    return this.read(complaint_id);
  }

  /**
   * 申请退款 for the complaint: refunds each order it names, the amount the payer asked
   * (`apply_refund_amount`, one order) or the order's whole, unless `amount` says (one order).
   * Each refund's number is made from the complaint's (`C<complaint_id>-<n>`), so calling again
   * after a lost answer asks for the same refund, never a second one. Resolves the refunds.
   */
  async refund(complaint_id, { amount, reason = '消费者投诉退款' } = {}) {
    const complaint = await this.#complaint(complaint_id);
    const orders = complaint.complaint_order_info ?? [];
    if (orders.length === 0) throw new Error(`complaint ${complaint_id} names no order`);
    if (amount !== undefined && (orders.length !== 1 || !Number.isSafeInteger(amount) || amount < 1)) throw new TypeError('amount: fen, for a complaint about one order');
    const asked = amount ?? (orders.length === 1 ? complaint.apply_refund_amount : undefined);
    const out = [];
    for (const [i, order] of orders.entries()) {
      const out_refund_no = `C${complaint_id}-${i + 1}`;
      const refundAmount = asked ?? order.amount;
      const { record } = await sendOnce(this.refunds, out_refund_no, { complaint_id, transaction_id: order.transaction_id, amount: refundAmount }, {
        send: () => this.wxpay.v3.refund.domestic.refunds.post({
          transaction_id: order.transaction_id, out_refund_no, reason, notify_url: this.notifyUrl,
          amount: { refund: refundAmount, total: order.amount, currency: 'CNY' },
        }),
        query: () => this.wxpay.v3.refund.domestic.refunds._out_refund_no_.get({ out_refund_no }),
        stateOf: (data) => data.status,
        notFoundCode: 'RESOURCE_NOT_EXISTS',
      });
      if (record.refund_id === undefined) record.refund_id = this.refunds.get(out_refund_no)?.refund_id;
      out.push({ out_refund_no, ...record });
    }
    return out;
  }

  /** 反馈处理完成: the complaint is handled. Resolves it read afresh. */
  async complete(complaint_id) {
    await this.#api.complaintsV2._complaint_id_.complete.post({ complainted_mchid: this.mchid }, { complaint_id });
    return this.read(complaint_id);
  }
}
