// Member-card state and the PATCH body rules of /v3/marketing/membercard-open.
export const CARD_ID = 'pY7xGs0sMdNN9PVCvtJNl-6DJdIY';

const SEED = [
  {
    card_id: CARD_ID,
    code: '300000001',
    openid: 'obLatjhnqgy2syxrXVM3MJ5TmTsM',
    membership_number: '20210001',
    level: 'GOLD',
    nickname: 'Tom',
    head_image_url: 'https://wx.qlogo.cn/mmopen/sandbox/head.png',
    background_picture_url: 'https://wxpaylogo.qpic.cn/sandbox/background.png',
    balance: 1000,
    user_card_status: 'EFFECTIVE',
    user_information: {
      common_field_list: [{ name: 'USER_FORM_INFO_FLAG_MOBILE', value: '13800000000' }],
      custom_field_list: [{ name: 'favourite', value: 'tea', value_list: ['tea'] }],
    },
    bonus_value: 88,
  },
  {
    // A code that only survives the path when percent-encoded: space, slash, '?', non-ASCII.
    card_id: CARD_ID,
    code: 'a b/c?é',
    openid: 'obLatjhnqgy2syxrXVM3MJ5TmTsN',
    membership_number: '20210002',
    level: '白金 Platinum',
    nickname: '微信用户 🎉',
    head_image_url: 'https://wx.qlogo.cn/mmopen/sandbox/head%20two.png',
    background_picture_url: 'https://wxpaylogo.qpic.cn/sandbox/background-2.png',
    balance: 0,
    user_card_status: 'EFFECTIVE',
    user_information: {
      common_field_list: [{ name: 'USER_FORM_INFO_FLAG_NAME', value: '张三' }],
      custom_field_list: [{ name: 'hobbies', value: '阅读', value_list: ['阅读', 'swimming "quoted"'] }],
    },
    bonus_value: 0,
  },
];

/** Card state: cards[card_id][code] -> card. Refilled in place so references stay live. */
export function seedCards(cards = {}) {
  for (const k of Object.keys(cards)) delete cards[k];
  for (const c of structuredClone(SEED)) (cards[c.card_id] ??= {})[c.code] = c;
  return cards;
}

const isInt = Number.isSafeInteger;
const isStr = (v) => typeof v === 'string';
const isBool = (v) => typeof v === 'boolean';

/**
 * Validate a PATCH member-code body (already parsed JSON).
 * @returns {{ field: string, message: string } | null} the first problem, or null
 */
export function validatePatch(body) {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    return { field: '', message: 'body must be a JSON object' };
  const bad = (field, what) => ({ field, message: `${field} ${what}` });
  if (!isStr(body.out_request_no) || body.out_request_no === '') return bad('out_request_no', 'is required and must be a non-empty string');
  for (const f of ['membership_number', 'background_picture_url', 'level'])
    if (f in body && !isStr(body[f])) return bad(f, 'must be a string');
  for (const f of ['need_inform_balance', 'need_inform_level'])
    if (f in body && !isBool(body[f])) return bad(f, 'must be a boolean');
  if ('balance_information' in body) {
    const b = body.balance_information;
    if (b === null || typeof b !== 'object' || Array.isArray(b)) return bad('balance_information', 'must be an object');
    for (const f of ['before_balance', 'balance', 'add_balance'])
      if (!isInt(b[f])) return bad(`balance_information.${f}`, 'is required and must be an integer');
    if ('balance_remark' in b && !isStr(b.balance_remark)) return bad('balance_information.balance_remark', 'must be a string');
  }
  return null;
}

/** Apply a validated PATCH body to a stored card. */
export function applyPatch(card, body) {
  for (const f of ['membership_number', 'background_picture_url', 'level']) if (f in body) card[f] = body[f];
  if (body.balance_information) card.balance = body.balance_information.balance;
}
