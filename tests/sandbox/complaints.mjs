// 消费者投诉2.0 (consumer complaints), a direct merchant's, and a partner's (服务商) about its
// sub-merchants' orders (complainted_mchid the sub-merchant): a payer complains about a paid order,
// WeChat Pay tells the merchant (COMPLAINT.CREATE, COMPLAINT.STATE_CHANGE: the resource names only
// the complaint and what happened, its `action_type`), and the merchant reads the complaint (the
// payer's phone encrypted under the merchant's key), its negotiation history and its images,
// answers it (with images uploaded through /v3/merchant-service/images/upload), approves or
// rejects a refund request, refunds, and says it is done.
// Routes: POST/GET/PUT/DELETE /v3/merchant-service/complaint-notifications (the URL the
// notifications go to); GET /v3/merchant-service/complaints-v2 (begin_date..end_date, limit 1-50,
// offset); GET .../complaints-v2/{complaint_id}; GET .../negotiation-historys (limit 1-300,
// total_count at offset 0); POST .../response, .../complete, .../update-refund-progress (204).
// As the service documents them: the fields and enums of the corpus; payer_phone RSAES-OAEP
// (SHA-1) under the merchant's key; at most 4 images to a reply or a rejection; jump_url_text with
// jump_url; a rejected refund request ends the complaint (PROCESSED), an approved one ends when
// the refund arrives; the first reply takes a PENDING complaint to PROCESSING; the action types
// of the notification, the merchant's own among them (MERCHANT_RESPONSE,
// MERCHANT_CONFIRM_COMPLETE, MERCHANT_APPROVE_REFUND, MERCHANT_REJECT_REFUND). The sandbox's own
// rules and readings (the service's pages do not say, or not clearly): GET of the URL with none
// set answers 400 RESOURCE_NOT_EXISTS (as a copy of the service's pages shows it); "a span of at
// most 30 days" is read as 30 dates, both ends counted (the stricter reading); the list's and the
// history's default limits; COMPLAINT.CREATE carries CREATE_COMPLAINT and every other action goes
// as COMPLAINT.STATE_CHANGE, the merchant's own posted before its call is answered; a second POST
// of the URL is refused (INVALID_REQUEST: PUT changes it) and so is a PUT with none set; a
// PROCESSED complaint refuses a reply, a completion and a refund decision, a PENDING one (never
// answered) a completion, a complaint not about a refund (problem_type REFUND) a refund decision,
// an approved one a second decision (INVALID_REQUEST); a reply's images must be ones uploaded
// here; an approval names its launch_refund_day; REFUND_SUCCESS once the approved request's
// refunds reach what it asked (at the approval, if they already do), SELLER_REFUND once, when a
// refund succeeds that completes the orders' full refund; a history entry's image_list holds the
// sandbox's own picture URLs and its complaint_media_list the API's; the notification URL may be
// http for 127.0.0.1 (the service takes https only); a partner's list without complainted_mchid
// holds its own complaints and its sub-merchants', with it only that merchant's (the partner or
// one of its sub-merchants: another is PARAM_ERROR); one notification URL, the partner's, hears
// of them all.
import crypto from 'node:crypto';
import { OAEP, answered, beijing, digits, invalid, jsonObject, ok, paramError, str } from './payments.mjs';

const BASE = '/v3/merchant-service/complaints-v2';
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DAY = 86400e3;
/** Dates a list request may span, both ends counted (see above). */
const MAX_SPAN_DATES = 30;
const notFound = () => ({ status: 404, json: { code: 'RESOURCE_NOT_EXISTS', message: '投诉单不存在' } });
const done = () => ({ status: 204 });
/** 204, and the notification of the merchant's own action, which server.mjs posts before answering. */
const event = (complaint_id, action_type) => ({ event: { event_type: 'COMPLAINT.STATE_CHANGE', action_type }, complaint_id });
const told = (c, action_type) => ({ ...done(), notify: [event(c.complaint_id, action_type)] });

/** A query integer in [min, max] (its default when absent), or undefined when it is not one. */
function bounded(v, min, max, dflt) {
  if (v === undefined) return dflt;
  if (typeof v !== 'string' || !/^\d{1,9}$/.test(v)) return undefined;
  const n = Number(v);
  return n >= min && n <= max ? n : undefined;
}

/**
 * `route(req, path, body, query)` answers these routes (or returns undefined). `mchid` is the
 * merchant, `subMchids` its sub-merchants as a partner, `merchantPublic()` its key (payer_phone
 * is encrypted under it), `baseURL()` the host its image URLs name, `media` the images uploaded
 * and the payers' (media_id -> { bytes, type }), `orderOf(out_trade_no, sub_mchid?)` an order as
 * the sandbox keeps it (a sub-merchant's with `sub_mchid`), `refundedOf(transaction_id)` what its
 * successful refunds add up to.
 */
export function complaintRoutes({ mchid, subMchids = [], merchantPublic, baseURL, media, orderOf, refundedOf }) {
  /** complaint_id -> { ...the detail as its query answers it, payer_phone$ (plain), history$, approved$ } */
  const complaints = new Map();
  let notifyUrl; // the URL complaint notifications go to, once set
  let logs = 0;

  const imageUrl = (id) => `${baseURL()}v3/merchant-service/images/${encodeURIComponent(id)}`;
  const fullyRefunded = (c) => c.complaint_order_info.every((o) => refundedOf(o.transaction_id) >= o.amount);

  /** The complaint as its query answers it: the phone encrypted afresh, the refund state read now. */
  function detail(c, withOpenid = true) {
    const out = answered(c);
    if (!withOpenid) delete out.payer_openid;
    out.complaint_full_refunded = fullyRefunded(c);
    if (c.payer_phone$ !== undefined) out.payer_phone = crypto.publicEncrypt({ key: merchantPublic(), ...OAEP }, Buffer.from(c.payer_phone$)).toString('base64');
    return out;
  }

  /**
   * An entry of the negotiation history; `images` its media ids, listed as pictures (the
   * sandbox's own URLs) and, when `mediaType` is given, as the API's URLs.
   */
  function log(c, operator, operate_type, operate_details, images = [], mediaType) {
    c.history$.push({
      log_id: `${Date.now()}${String(++logs).padStart(6, '0')}`, operator, operate_time: beijing(), operate_type,
      operate_details, image_list: images.map((id) => `https://qpic.cn/sandbox/${encodeURIComponent(id)}`),
      ...(mediaType && images.length ? { complaint_media_list: [{ media_type: mediaType, media_url: images.map(imageUrl) }] } : {}),
    });
  }

  /** Media ids as a reply or a rejection lists them (at most 4, each uploaded here), or an answer refusing them. */
  function mediaIds(list, field) {
    if (list === undefined) return { ids: [] };
    if (!Array.isArray(list) || list.length > 4 || !list.every((id) => str(id) && media.has(id)))
      return { refused: paramError(`${field} lists at most 4 media_id from /v3/merchant-service/images/upload`, field) };
    return { ids: list };
  }

  /** The complaint a request names (and, in its body, complainted_mchid the complaint's), or an answer refusing it. */
  function named(id, data) {
    const c = complaints.get(id);
    if (!c) return { refused: notFound() };
    if (data && data.complainted_mchid !== c.complainted_mchid) return { refused: paramError('complainted_mchid is not the complaint\'s merchant', 'complainted_mchid') };
    return { c };
  }

  function list(q) {
    if (!DATE.test(q.begin_date ?? '')) return paramError('begin_date is required, yyyy-MM-dd', 'begin_date', 'query');
    if (!DATE.test(q.end_date ?? '')) return paramError('end_date is required, yyyy-MM-dd', 'end_date', 'query');
    const from = Date.parse(`${q.begin_date}T00:00:00+08:00`);
    const to = Date.parse(`${q.end_date}T00:00:00+08:00`);
    if (Number.isNaN(from) || Number.isNaN(to)) return paramError('begin_date and end_date must be dates', 'begin_date', 'query');
    if (to < from) return paramError('end_date is before begin_date', 'end_date', 'query');
    if (to - from > (MAX_SPAN_DATES - 1) * DAY) return paramError(`begin_date to end_date spans more than ${MAX_SPAN_DATES} days`, 'end_date', 'query');
    const limit = bounded(q.limit, 1, 50, 10);
    if (limit === undefined) return paramError('limit is 1-50', 'limit', 'query');
    const offset = bounded(q.offset, 0, 1e9, 0);
    if (offset === undefined) return paramError('offset is a whole number', 'offset', 'query');
    const of = q.complainted_mchid;
    if (of !== undefined && of !== mchid && !subMchids.includes(of)) return paramError('complainted_mchid is neither this merchant nor one of its sub-merchants', 'complainted_mchid', 'query');
    const day = (c) => c.complaint_time.slice(0, 10);
    const all = [...complaints.values()].filter((c) => day(c) >= q.begin_date && day(c) <= q.end_date && (of === undefined || c.complainted_mchid === of));
    return ok({ data: all.slice(offset, offset + limit).map((c) => detail(c, false)), limit, offset, total_count: all.length });
  }

  function history(c, q) {
    const limit = bounded(q.limit, 1, 300, 100);
    if (limit === undefined) return paramError('limit is 1-300', 'limit', 'query');
    const offset = bounded(q.offset, 0, 1e9, 0);
    if (offset === undefined) return paramError('offset is a whole number', 'offset', 'query');
    const data = c.history$.slice(offset, offset + limit);
    return ok({ data, limit, offset, ...(offset === 0 ? { total_count: c.history$.length } : {}) });
  }

  function response(c, data) {
    if (!str(data.response_content) || data.response_content.length > 500) return paramError('response_content is required, at most 500 characters', 'response_content');
    const { ids, refused } = mediaIds(data.response_images, 'response_images');
    if (refused) return refused;
    if (data.jump_url !== undefined && (!/^https:\/\//.test(data.jump_url) || !str(data.jump_url_text)))
      return paramError('jump_url is https and goes with jump_url_text', 'jump_url');
    const jump = data.mini_program_jump_info;
    if (jump !== undefined && !(str(jump?.appid) && str(jump.path) && str(jump.text)))
      return paramError('mini_program_jump_info needs appid, path and text', 'mini_program_jump_info');
    if (c.complaint_state === 'PROCESSED') return invalid('投诉单已处理完成');
    if (c.complaint_state === 'PENDING') c.complaint_state = 'PROCESSING';
    c.incoming_user_response = false;
    log(c, '商户', 'MERCHANT_RESPONSE', data.response_content, ids, 'OPERATION_IMAGE');
    return told(c, 'MERCHANT_RESPONSE');
  }

  function complete(c) {
    if (c.complaint_state === 'PENDING') return invalid('投诉单未回复: 请先回复用户');
    if (c.complaint_state === 'PROCESSED') return invalid('投诉单已处理完成');
    c.complaint_state = 'PROCESSED';
    log(c, '商户', 'MERCHANT_CONFIRM_COMPLETE', '商户反馈处理完成');
    return told(c, 'MERCHANT_CONFIRM_COMPLETE');
  }

  function refundProgress(c, data) {
    if (data.action !== 'APPROVE' && data.action !== 'REJECT') return paramError('action is APPROVE or REJECT', 'action');
    if (data.remark !== undefined && (typeof data.remark !== 'string' || data.remark.length > 200)) return paramError('remark is at most 200 characters', 'remark');
    if (c.problem_type !== 'REFUND') return invalid('投诉单不是申请退款单');
    if (c.complaint_state === 'PROCESSED') return invalid('投诉单已处理完成');
    if (c.approved$) return invalid('已同意退款申请');
    if (data.action === 'APPROVE') {
      if (!Number.isSafeInteger(data.launch_refund_day) || data.launch_refund_day < 0) return paramError('launch_refund_day is the working days until the refund, 0 or more', 'launch_refund_day');
      c.approved$ = true;
      if (c.complaint_state === 'PENDING') c.complaint_state = 'PROCESSING';
      log(c, '商户', 'MERCHANT_APPROVE_REFUND', `预计${data.launch_refund_day}个工作日内发起退款`);
      const after = told(c, 'MERCHANT_APPROVE_REFUND');
      // Refunded already what it asks: it ends now.
      const ended = refundArrived(c);
      if (ended) after.notify.push(ended);
      return after;
    }
    if (data.reject_reason !== undefined && (typeof data.reject_reason !== 'string' || data.reject_reason.length > 200)) return paramError('reject_reason is at most 200 characters', 'reject_reason');
    const { ids, refused } = mediaIds(data.reject_media_list, 'reject_media_list');
    if (refused) return refused;
    c.complaint_state = 'PROCESSED';
    log(c, '商户', 'MERCHANT_REFUSE_RERUND', data.reject_reason ?? '', ids, 'OPERATION_IMAGE');
    return told(c, 'MERCHANT_REJECT_REFUND');
  }

  function notifications(req, body) {
    if (req.method === 'GET') return notifyUrl === undefined ? { status: 400, json: { code: 'RESOURCE_NOT_EXISTS', message: '查询的通知回调不存在' } } : ok({ mchid, url: notifyUrl });
    if (req.method === 'DELETE') { notifyUrl = undefined; return done(); }
    const { data, refused } = jsonObject(body);
    if (refused) return refused;
    let url;
    try { url = new URL(data.url); } catch { url = undefined; }
    if (!str(data.url) || data.url.length > 255 || !url || !(url.protocol === 'https:' || (url.protocol === 'http:' && url.hostname === '127.0.0.1')))
      return paramError('url is an https URL of at most 255 characters', 'url');
    if (req.method === 'POST' && notifyUrl !== undefined) return invalid('通知回调已存在: 请用 PUT 修改');
    if (req.method === 'PUT' && notifyUrl === undefined) return { status: 400, json: { code: 'RESOURCE_NOT_EXISTS', message: '通知回调不存在' } };
    notifyUrl = data.url;
    return ok({ mchid, url: notifyUrl });
  }

  function route(req, path, body, query) {
    if (path === '/v3/merchant-service/complaint-notifications' && ['GET', 'POST', 'PUT', 'DELETE'].includes(req.method)) return notifications(req, body);
    if (path === BASE && req.method === 'GET') return list(query);
    const m = /^\/v3\/merchant-service\/complaints-v2\/([^/]+)(?:\/(negotiation-historys|response|complete|update-refund-progress))?$/.exec(path);
    if (!m) return undefined;
    const id = decodeURIComponent(m[1]);
    const action = m[2];
    if (action === undefined || action === 'negotiation-historys') {
      if (req.method !== 'GET') return undefined;
      const { c, refused } = named(id);
      return refused ?? (action ? history(c, query) : ok(detail(c)));
    }
    if (req.method !== 'POST') return undefined;
    const { data, refused: bad } = jsonObject(body);
    if (bad) return bad;
    // A reply and a completion name the merchant complained about; a refund decision does not.
    const { c, refused } = named(id, action === 'update-refund-progress' ? undefined : data);
    if (refused) return refused;
    if (action === 'response') return response(c, data);
    if (action === 'complete') return complete(c);
    return refundProgress(c, data);
  }

  /**
   * The payer of the paid order `out_trade_no` (a sub-merchant's with `sub_mchid`) complains:
   * `problem_type` (REFUND, SERVICE_NOT_WORK or OTHERS; a REFUND asks `apply_refund_amount`,
   * default the order's total), `detail`, `phone`, `images` (byte arrays, PNG). Returns
   * { event, complaint_id } for the caller to post.
   */
  function complain(out_trade_no, { sub_mchid, problem_type = 'OTHERS', detail: text = '商品与描述不符', phone = '13800138000', images = [], apply_refund_amount } = {}) {
    const o = orderOf(out_trade_no, sub_mchid);
    if (!o || !['SUCCESS', 'REFUND'].includes(o.trade_state)) throw new TypeError(`no paid order ${out_trade_no}`);
    if (!['REFUND', 'SERVICE_NOT_WORK', 'OTHERS'].includes(problem_type)) throw new TypeError(`problem_type ${problem_type}`);
    const complaint_id = `2002${digits(23)}`;
    const urls = images.map((bytes) => {
      const id = `complaint-${crypto.randomBytes(8).toString('hex')}`;
      media.set(id, { bytes: Buffer.from(bytes), type: 'image/png' });
      return id;
    });
    const c = {
      complaint_id, complaint_time: beijing(), complaint_detail: text, complaint_state: 'PENDING', complainted_mchid: sub_mchid ?? mchid,
      payer_openid: o.payer?.openid ?? o.payer?.sp_openid ?? 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
      complaint_media_list: urls.length ? [{ media_type: 'USER_COMPLAINT_IMAGE', media_url: urls.map(imageUrl) }] : [],
      complaint_order_info: [{ transaction_id: o.transaction_id, out_trade_no: o.out_trade_no, amount: o.amount.total }],
      complaint_full_refunded: false, incoming_user_response: false, problem_description: problem_type === 'REFUND' ? '申请退款' : '其他问题',
      user_complaint_times: 1, problem_type,
      ...(problem_type === 'REFUND' ? { apply_refund_amount: apply_refund_amount ?? o.amount.total } : {}),
      payer_phone$: phone, history$: [], approved$: false,
    };
    complaints.set(complaint_id, c);
    log(c, '用户', 'USER_CREATE_COMPLAINT', text, urls, 'USER_COMPLAINT_IMAGE');
    return { event: { event_type: 'COMPLAINT.CREATE', action_type: 'CREATE_COMPLAINT' }, complaint_id };
  }

  /** The payer writes to the merchant on the complaint: USER_RESPONSE. */
  function message(complaint_id, text) {
    const c = complaints.get(complaint_id);
    if (!c) throw new TypeError(`no complaint ${complaint_id}`);
    c.incoming_user_response = true;
    log(c, '用户', 'USER_RESPONSE', text);
    return event(complaint_id, 'USER_RESPONSE');
  }

  /** What the complaint's orders' successful refunds add up to. */
  const refundedAll = (c) => c.complaint_order_info.reduce((sum, o) => sum + refundedOf(o.transaction_id), 0);

  /** An approved refund request refunded what it asked ends: REFUND_SUCCESS (or undefined, not yet). */
  function refundArrived(c) {
    if (!c.approved$ || c.complaint_state === 'PROCESSED' || refundedAll(c) < c.apply_refund_amount) return undefined;
    c.complaint_state = 'PROCESSED';
    log(c, '系统', 'COMPLAINT_REFUND_RECEIVED_SYSTEM_MESSAGE', '退款已到账');
    return event(c.complaint_id, 'REFUND_SUCCESS');
  }

  /**
   * After a refund of `transaction_id` succeeded: what each open complaint about it now tells the
   * merchant. A refund request approved and refunded what it asked: REFUND_SUCCESS, and it ends;
   * otherwise, its orders refunded in full: SELLER_REFUND (once).
   */
  function refunded(transaction_id) {
    const out = [];
    for (const c of complaints.values()) {
      if (!c.complaint_order_info.some((o) => o.transaction_id === transaction_id) || c.complaint_state === 'PROCESSED') continue;
      const ended = refundArrived(c);
      if (ended) out.push(ended);
      else if (fullyRefunded(c) && !c.told_full$) {
        c.told_full$ = true;
        log(c, '系统', 'COMPLAINT_FULL_REFUNDED_SYSTEM_MESSAGE', '商户已全额退款');
        out.push(event(c.complaint_id, 'SELLER_REFUND'));
      }
    }
    return out;
  }

  return {
    route, complaints, complain, message, refunded,
    get notifyUrl() { return notifyUrl; },
    clear() { complaints.clear(); notifyUrl = undefined; },
  };
}
