// The seed's calls have exactly the types the seed page shows, under its names.
import { Wxpay, WxpayError } from 'wxpay-wasm';
import type { WeChatPay, WxpayErrorCode, WxpayResponse, RequestOptions } from 'wxpay-wasm';
import type { Equal, Expect } from './equal.cjs';

declare const wxpay: Wxpay;
declare const card_id: string, code: string;
const node = wxpay.v3.marketing.membercardOpen.cards._card_id_.codes._code_;

// The namespaces of the seed page: WeChatPay.OpenAPI.V3....Codes._code_.{Get,Patch}HttpMethod.
type Get = WeChatPay.OpenAPI.V3.Marketing.MembercardOpen.Cards._card_id_.Codes._code_.GetHttpMethod.WellformedResponse;
type GetConfig = WeChatPay.OpenAPI.V3.Marketing.MembercardOpen.Cards._card_id_.Codes._code_.GetHttpMethod.RequestConfig;
type PatchBody = WeChatPay.OpenAPI.V3.Marketing.MembercardOpen.Cards._card_id_.Codes._code_.PatchHttpMethod.JsonDataRequest;

// get(config: { card_id: string | number; code: string | number; params?; headers?; signal?; timeout?; maxBodyBytes? })
type GetParam = Parameters<typeof node.get>[0];
type _getParam = Expect<Equal<GetParam, GetConfig>>;
type _getKeys = Expect<Equal<keyof GetParam, 'card_id' | 'code' | 'params' | 'headers' | 'signal' | 'timeout' | 'maxBodyBytes' | 'retry'>>;
type _cardId = Expect<Equal<GetParam['card_id'], string | number>>;
type _codeKey = Expect<Equal<GetParam['code'], string | number>>;
type _timeout = Expect<Equal<GetParam['timeout'], number | undefined>>;
type _signal = Expect<Equal<GetParam['signal'], AbortSignal | undefined>>;
type _base = Expect<Equal<Omit<GetParam, 'card_id' | 'code'>, Omit<RequestOptions, never>>>;

// ... resolving to the response of WellformedResponse, status 200.
const got = await node.get({ card_id, code });
type _got = Expect<Equal<typeof got, WxpayResponse<Get, 200>>>;
type _gotStatus = Expect<Equal<typeof got.status, 200>>;
type _gotHeaders = Expect<Equal<typeof got.headers, Record<string, string>>>;
type _gotStatusText = Expect<Equal<typeof got.statusText, string>>;
const { data } = got;
type _balance = Expect<Equal<typeof data.balance, number>>;
type _bonus = Expect<Equal<typeof data.bonus_value, number>>;
const valueList = data.user_information.custom_field_list[0].value_list;
type _valueList = Expect<Equal<typeof valueList, string[]>>;
const customName = data.user_information.custom_field_list[0].name;
type _customName = Expect<Equal<typeof customName, string>>;
const commonValue = data.user_information.common_field_list[0].value;
type _commonValue = Expect<Equal<typeof commonValue, string>>;
type _openid = Expect<Equal<typeof data.openid, string>>;
// Response enums are open: the listed values complete, new ones still type-check.
type _status = Expect<Equal<typeof data.user_card_status, 'NOT_ACTIVATE' | 'EFFECTIVE' | 'EXPIRE' | 'UNAVAILABLE' | 'DELETE' | (string & {})>>;
type _seedFields = Expect<Equal<keyof Get,
  | 'card_id' | 'code' | 'openid' | 'membership_number' | 'level' | 'nickname' | 'head_image_url'
  | 'background_picture_url' | 'balance' | 'user_card_status' | 'user_information' | 'bonus_value'>>;

// patch(data: JsonDataRequest, config) resolving to a response whose status is 204 and data ''.
type _patchData = Expect<Equal<Parameters<typeof node.patch>[0], PatchBody>>;
type _patchConfig = Expect<Equal<Parameters<typeof node.patch>[1], WeChatPay.OpenAPI.V3.Marketing.MembercardOpen.Cards._card_id_.Codes._code_.PatchHttpMethod.RequestConfig>>;
type _patchKeys = Expect<Equal<keyof PatchBody,
  | 'membership_number' | 'background_picture_url' | 'level' | 'out_request_no' | 'balance_information'
  | 'need_inform_balance' | 'need_inform_level'>>;
type _outRequestNo = Expect<Equal<PatchBody['out_request_no'], string>>;
type _balanceInfo = Expect<Equal<NonNullable<PatchBody['balance_information']>['add_balance'], number>>;
const patched = await node.patch({ out_request_no: '100002322019090134234sfdf' }, { card_id, code });
type _patched = Expect<Equal<typeof patched, WxpayResponse<'', 204>>>;
type _patchedStatus = Expect<Equal<typeof patched.status, 204>>;

// WxpayError: our codes, plus the service's as any string.
declare const e: WxpayError;
type _code = Expect<Equal<typeof e.code, WxpayErrorCode | (string & {})>>;
type _name = Expect<Equal<typeof e.name, 'WxpayError'>>;
type _requestId = Expect<Equal<typeof e.requestId, string | undefined>>;
type _response = Expect<Equal<typeof e.response, WxpayResponse | undefined>>;
const isError: Error = e;
if (e.code === 'ERR_RESPONSE_SIGNATURE' || e.code === 'PARAM_ERROR') void isError;

// Nodes: awaiting one gives the node itself (not thenable); coercion is the path template.
const awaited = await node;
type _awaited = Expect<Equal<typeof awaited, typeof node>>;
type _then = Expect<Equal<typeof node.then, undefined>>;
const template: string = String(node);
const json: string = node.toJSON();
const text: string = `${node}`;
void [template, json, text];
