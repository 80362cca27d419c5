/**
 * wxpay-wasm: a WeChat Pay APIv3 client in Rust/WebAssembly.
 * Every request is signed, every answer verified, before you see it.
 *
 * This file is the hand-written core of the package's declarations. The
 * build (scripts/build-pkg.sh) appends the endpoint types that
 * scripts/gen-types.mjs generates from the API descriptions in api/, which add members to
 * `WeChatPay.OpenAPI.V3`, and ships the result as index.d.ts (import) and
 * index.d.cts (require). Fetch types (`Response`, `RequestInit`, `Headers`,
 * `AbortSignal`, `URLSearchParams`) come from the environment's lib: `dom`,
 * `@types/node` or `@cloudflare/workers-types`.
 */

/** Options of `new Wxpay(options)`. */
export interface WxpayOptions {
  /** Merchant id, e.g. `'1900000109'`. */
  mchid: string;
  /** Serial number of the merchant API certificate. */
  serial: string;
  /** The merchant private key (`apiclient_key.pem`): PKCS#8 or PKCS#1 PEM, or its bytes. */
  privateKey: string | Uint8Array | ArrayBuffer;
  /**
   * Keys that may sign WeChat Pay's answers: platform certificate serial (or `PUB_KEY_ID_...`)
   * to the PEM of an X.509 certificate, an SPKI public key or a PKCS#1 public key.
   */
  certs: Record<string, string | Uint8Array | ArrayBuffer>;
  /** Defaults to `https://api.mch.weixin.qq.com/`. */
  baseURL?: string;
  /** A fetch-compatible function used instead of the global `fetch`. */
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
  /** Default timeout of each request, in milliseconds: it settles the call even if `fetch` ignores its signal. */
  timeout?: number;
  /**
   * The largest answer body accepted, in bytes (default 32 MiB, at most 1 GiB). A larger
   * answer is refused with `ERR_RESPONSE_TOO_LARGE` as soon as it passes the limit.
   */
  maxBodyBytes?: number;
  /**
   * The RSA backend: `'auto'` (the default: `node:crypto` in Node, else the runtime's
   * WebCrypto where it has `crypto.subtle`, else Rust), `'node'`, `'webcrypto'` or `'rust'`.
   */
  crypto?: 'auto' | 'node' | 'webcrypto' | 'rust';
}

/**
 * What every request resolves to, once the answer's signature is verified.
 * `S` narrows `status` where the API says which 2xx it answers (204 for no content).
 */
export interface WxpayResponse<T = unknown, S extends number = number> {
  status: S;
  statusText: string;
  /** Answer headers, names in lower case. */
  headers: Record<string, string>;
  /** Parsed JSON; `''` for an empty body (204); text or bytes for other content types. */
  data: T;
}

/** Scalars accepted for placeholders, query parameters and headers. */
export type Scalar = string | number | bigint | boolean;

/** The query string of a request: a plain object (arrays repeat the key) or `URLSearchParams`. */
export type Params = Record<string, Scalar | readonly Scalar[] | null | undefined> | URLSearchParams;

/** The config keys every request understands, whatever its path. */
export interface RequestOptions<P = Params> {
  /** The query string, e.g. `{ offset: 0, limit: 10 }`. */
  params?: P;
  /** Extra request headers (`Authorization` is set for you and cannot be given). */
  headers?: Record<string, Scalar | null | undefined> | Headers;
  /** Aborts the request: rejects with `ERR_ABORTED`. */
  signal?: AbortSignal;
  /** Milliseconds before the request is aborted with `ERR_TIMEOUT`. */
  timeout?: number;
  /** The largest answer body accepted for this request, in bytes (default: the client's `maxBodyBytes`). */
  maxBodyBytes?: number;
}

/**
 * The config of a request on an untyped path: the common options plus the
 * values of the path placeholders, by name (`{ card_id, code }` for
 * `_card_id_` and `_code_`; strings or numbers).
 */
export interface RequestConfig extends RequestOptions {
  [placeholder: string]: unknown;
}

/** The verbs of an untyped chain node; `T` is the `data` you expect (unchecked). */
export interface Verbs {
  get<T = unknown>(config?: RequestConfig): Promise<WxpayResponse<T>>;
  delete<T = unknown>(config?: RequestConfig): Promise<WxpayResponse<T>>;
  post<T = unknown>(data?: unknown, config?: RequestConfig): Promise<WxpayResponse<T>>;
  put<T = unknown>(data?: unknown, config?: RequestConfig): Promise<WxpayResponse<T>>;
  patch<T = unknown>(data?: unknown, config?: RequestConfig): Promise<WxpayResponse<T>>;
}

/** What a node answers besides its segments: coercion gives the path template and sends nothing. */
export interface NodeCoercion {
  /** Nodes are not thenable: `await node` is the node itself and sends nothing. */
  readonly then?: undefined;
  /** The path template, e.g. `v3/marketing/membercard-open/cards/{card_id}`. */
  toString(): string;
  /** The path template, so `JSON.stringify(node)` sends nothing. */
  toJSON(): string;
  [Symbol.toPrimitive](hint: string): string;
}

/**
 * A node of the chain that no API description types: every property is a
 * path segment (`camelCase` -> `kebab-case`, `_name_`/`$name$` -> `{name}`,
 * bracket access takes raw segments or paths), the verbs send the request,
 * and `String(node)` is its path template.
 */
export type ChainNode = Verbs & NodeCoercion & { readonly [segment: string]: ChainNode };

/**
 * A node that an API description types (`T`, from `WeChatPay.OpenAPI`): its
 * endpoints and children are typed; any other segment is a `ChainNode`, and
 * any verb `T` does not declare stays available untyped.
 */
export type TypedNode<T> = T & Omit<Verbs, keyof T> & NodeCoercion & { readonly [segment: string]: ChainNode };

/**
 * The endpoint types, in the namespaces of the chain they type: the node
 * `wxpay.v3.marketing.membercardOpen.cards._card_id_.codes._code_` is
 * `WeChatPay.OpenAPI.V3.Marketing.MembercardOpen.Cards._card_id_.Codes._code_`,
 * and the types of its GET are in `..._code_.GetHttpMethod`: `RequestConfig`,
 * `QueryParams`, `JsonDataRequest`, `WellformedResponse`.
 */
export declare namespace WeChatPay.OpenAPI {
  /** The typed part of `wxpay.v3`; the generated descriptions of api/ add its members. */
  export interface V3 {}
}

/** `Symbol.dispose` where the lib declares it (esnext.disposable, @types/node), else nothing. */
type DisposeSymbol = SymbolConstructor extends { readonly dispose: infer K extends symbol } ? K : never;
type Disposal = { [K in DisposeSymbol]: () => void };

/** A WeChat Pay APIv3 client. */
export declare class Wxpay {
  /** Throws `WxpayError` (`ERR_INVALID_CONFIG`, `ERR_INVALID_KEY`) naming the option at fault. */
  constructor(options: WxpayOptions);
  /** The root of the APIv3 chain: `wxpay.v3.marketing.membercardOpen.cards._card_id_.codes._code_`. */
  readonly v3: TypedNode<WeChatPay.OpenAPI.V3>;
  /** The RSA backend in use. */
  readonly crypto: 'node' | 'webcrypto' | 'rust';
  /**
   * Signs `message` (a string, as UTF-8, or bytes) with the merchant key:
   * base64 RSASSA-PKCS1-v1_5 SHA-256, as JSAPI/APP payment parameters (`paySign`) need.
   */
  sign(message: string | Uint8Array): Promise<string>;
  /**
   * Whether `signature` (base64) over `message` verifies under the key that
   * `serial` names in `certs`; rejects with `ERR_INVALID_PARAM` for an unknown serial.
   */
  verify(message: string | Uint8Array, signature: string, serial: string): Promise<boolean>;
  /** Releases the Rust side now instead of at garbage collection. */
  free(): void;
}
/** `using wxpay = new Wxpay(...)` frees it at the end of the scope, where the lib has `Symbol.dispose`. */
export interface Wxpay extends Disposal {}

/** Codes of the failures wxpay-wasm itself reports. */
export type WxpayErrorCode =
  | 'ERR_INVALID_CONFIG'
  | 'ERR_INVALID_KEY'
  | 'ERR_MISSING_PARAM'
  | 'ERR_INVALID_PARAM'
  | 'ERR_ABORTED'
  | 'ERR_TIMEOUT'
  | 'ERR_NETWORK'
  | 'ERR_RESPONSE_UNSIGNED'
  | 'ERR_RESPONSE_TIMESTAMP'
  | 'ERR_RESPONSE_SERIAL'
  | 'ERR_RESPONSE_SIGNATURE'
  | 'ERR_RESPONSE_BODY'
  | 'ERR_RESPONSE_TOO_LARGE'
  | 'ERR_HTTP_STATUS'
  | 'ERR_OUT_OF_MEMORY'
  | 'ERR_CLIENT_FREED'
  | 'ERR_CRYPTO'
  | 'ERR_NOTIFY_UNSIGNED'
  | 'ERR_NOTIFY_TIMESTAMP'
  | 'ERR_NOTIFY_SERIAL'
  | 'ERR_NOTIFY_SIGNATURE'
  | 'ERR_NOTIFY_DECRYPT'
  | 'ERR_NOTIFY_BODY';

/** Every failure: ours (`ERR_*`) or the service's (`PARAM_ERROR`, `SIGN_ERROR`...). */
export declare class WxpayError extends Error {
  constructor(code: string, message: string, props?: { status?: number; requestId?: string; detail?: unknown; response?: WxpayResponse; cause?: unknown });
  readonly name: 'WxpayError';
  code: WxpayErrorCode | (string & {});
  /** HTTP status of the answer, when there was one. */
  status?: number;
  /** The answer's `Request-ID`, to quote to WeChat Pay support. */
  requestId?: string;
  /** The service's `detail` object of an error answer. */
  detail?: unknown;
  /** The error answer itself, for non-2xx statuses. */
  response?: WxpayResponse;
}

// ---------------------------------------------------------------------------
// Notifications and sensitive fields (issue 6). Kept in one block, merged into
// the declarations above by interface merging, so it can move as a unit.
// ---------------------------------------------------------------------------

export interface WxpayOptions {
  /**
   * The merchant's APIv3 key (32 characters, set in the merchant platform): decrypts
   * notifications and `decryptResource`. Wrong length or type: `ERR_INVALID_CONFIG`.
   */
  apiv3Key?: string;
  /**
   * The `certs` entry sent as `Wechatpay-Serial` on every request (so the service answers
   * with that key) and used by `encrypt`. Default: the `PUB_KEY_ID_...` entry if there is
   * one, else the certificate with the latest validity start. Must name an entry of `certs`.
   */
  wechatpaySerial?: string;
}

/** An encrypted resource: `AEAD_AES_256_GCM` under the APIv3 key. */
export interface EncryptedResource {
  algorithm?: 'AEAD_AES_256_GCM' | (string & {});
  /** Base64 of the ciphertext followed by the 16-byte tag. */
  ciphertext: string;
  /** The IV, as text (12 characters). */
  nonce: string;
  /** The additional authenticated data, as text. */
  associated_data?: string;
  original_type?: string;
}

/** A verified, decrypted notification: the envelope with `resource` decrypted. */
export interface Notification<T = Record<string, unknown>> {
  /** Unique id: WeChat Pay retries, so handle each id once. */
  id: string;
  /** RFC 3339, e.g. `2015-05-20T13:29:35+08:00`. */
  create_time: string;
  /** e.g. `TRANSACTION.SUCCESS`, `REFUND.SUCCESS`, `MEMBERCARDSP.USER_CARD.CREATE`. */
  event_type: string;
  /** `encrypt-resource`. */
  resource_type: string;
  /** e.g. `支付成功`. */
  summary: string;
  /** The decrypted JSON. */
  resource: T;
  [field: string]: unknown;
}

/** What `notifications.parse` reads: a fetch `Request`, or Node's headers and raw body. */
export type NotificationInput =
  | Request
  | {
      /** `Headers`, or a plain object with names in any case (Node's `req.headers`). */
      headers: Headers | Record<string, string | string[] | undefined>;
      /** The raw body, exactly as received: the signature covers these bytes. */
      body: string | Uint8Array | ArrayBuffer;
    };

/** `wxpay.notifications`. */
export interface WxpayNotifications {
  /**
   * Verifies the notification like an answer (the four `Wechatpay-*` headers, 300 s window,
   * serial in `certs`, signature over the raw body; SIGNTEST fails), decrypts `resource` with
   * `apiv3Key`, and resolves to the notification. Rejects with `ERR_NOTIFY_UNSIGNED`,
   * `ERR_NOTIFY_TIMESTAMP`, `ERR_NOTIFY_SERIAL`, `ERR_NOTIFY_SIGNATURE`, `ERR_NOTIFY_DECRYPT`,
   * `ERR_NOTIFY_BODY`; `ERR_INVALID_CONFIG` without `apiv3Key`; `ERR_INVALID_PARAM` for input
   * that is neither shape.
   */
  parse<T = Record<string, unknown>>(input: NotificationInput): Promise<Notification<T>>;
  /** The answer to a handled notification: `204 No Content`. */
  success(): Response;
  /**
   * The answer to a notification not handled: `status` (400-599, default 500) with
   * `{"code":"FAIL","message":message}`; WeChat Pay will send it again later.
   */
  failure(message?: string | Error, status?: number): Response;
}

export interface Wxpay {
  /** Parse and answer the notifications WeChat Pay posts to you. */
  readonly notifications: WxpayNotifications;
  /** The serial or `PUB_KEY_ID_...` sent as `Wechatpay-Serial` and used by `encrypt`. */
  readonly wechatpaySerial: string;
  /** Base64 RSAES-OAEP (SHA-1, MGF1-SHA-1) of the UTF-8 `text` under the `wechatpaySerial` key. */
  encrypt(text: string): Promise<string>;
  /** The text a base64 RSAES-OAEP (SHA-1) ciphertext decrypts to under the merchant key. */
  decrypt(ciphertext: string): Promise<string>;
  /** The UTF-8 text of an `AEAD_AES_256_GCM` resource, e.g. `/v3/certificates`' `encrypt_certificate`. */
  decryptResource(resource: EncryptedResource): Promise<string>;
}

/** `wxpay.notifications.success()`, for handlers without a client. */
export declare function notifySuccess(): Response;
/** `wxpay.notifications.failure(message, status)`, for handlers without a client. */
export declare function notifyFailure(message?: string | Error, status?: number): Response;
// Only what is exported is public; the helper types stay private.
export {};

// ---------------------------------------------------------------------------
// Generated by scripts/gen-types.mjs from the API descriptions:
//   api/marketing/membercard-open.json
// Do not edit here: change the description and rebuild.
// ---------------------------------------------------------------------------

export declare namespace WeChatPay.OpenAPI {
  export interface V3 {
    /** `v3/marketing` */
    readonly marketing: TypedNode<V3.Marketing>;
  }
  export namespace V3 {
    export interface Marketing {
      /**
       * 会员卡开放接口 (member cards)
       *
       * 商户的会员卡模板、用户会员卡、开卡信息与事件回调地址。
       *
       * `v3/marketing/membercard-open`: typed from api/marketing/membercard-open.json.
       * @see https://pay.weixin.qq.com/doc/v3/merchant/4012549292
       * @see https://pay.weixin.qq.com/doc/v3/partner/4012709735
       */
      readonly membercardOpen: TypedNode<Marketing.MembercardOpen>;
    }
    export namespace Marketing {
      export interface MembercardOpen {
        /** `v3/marketing/membercard-open/activate-informations` */
        readonly activateInformations: TypedNode<MembercardOpen.ActivateInformations>;
        /** `v3/marketing/membercard-open/callback` */
        readonly callback: TypedNode<MembercardOpen.Callback>;
        /** `v3/marketing/membercard-open/cards` */
        readonly cards: TypedNode<MembercardOpen.Cards>;
        /** `v3/marketing/membercard-open/user` */
        readonly user: TypedNode<MembercardOpen.User>;
      }
      export namespace MembercardOpen {
        export interface ActivateInformations {
          /** `v3/marketing/membercard-open/activate-informations/{activate_ticket}` */
          readonly _activate_ticket_: TypedNode<ActivateInformations._activate_ticket_>;
        }
        export namespace ActivateInformations {
          export interface _activate_ticket_ {
            /**
             * 获取用户信息（跳转型激活）API
             *
             * 跳转型激活时，用 activate_ticket 取用户在开卡页填写的信息。
             *
             * `GET /v3/marketing/membercard-open/activate-informations/{activate_ticket}`
             * @link https://pay.weixin.qq.com/wiki/doc/apiv3/wxpay/marketing/membercard_open/chapter4_5.shtml
             */
            get(config: _activate_ticket_.GetHttpMethod.RequestConfig): Promise<WxpayResponse<_activate_ticket_.GetHttpMethod.WellformedResponse, 200>>;
          }
          export namespace _activate_ticket_ {
            export namespace GetHttpMethod {
              /** The config of `get`: the path placeholders, `headers`, `signal`, `timeout`. */
              export interface RequestConfig extends RequestOptions {
                /** 激活ticket：用户跳转到商户页面时链接上带的 activate_ticket */
                activate_ticket: string;
              }
              /** `data` of the 200 answer. */
              export interface WellformedResponse {
                /** 微信昵称 */
                nickname?: string;
                /** 微信头像url */
                head_image_url?: string;
                /** 用户开卡时填写的个人信息 */
                user_information?: {
                  /** 平台提供的通用开卡信息字段 */
                  common_field_list: {
                    /**
                     * 平台提供的通用开卡信息字段
                     *
                     * `USER_FORM_FLAG_MOBILE` 手机号; `USER_FORM_FLAG_SEX` 性别; `USER_FORM_FLAG_NAME` 姓名; `USER_FORM_FLAG_BIRTHDAY` 生日; `USER_FORM_FLAG_ADDRESS` 地址; `USER_FORM_FLAG_EMAIL` 邮箱; `USER_FORM_FLAG_CITY` 城市
                     */
                    name: 'USER_FORM_FLAG_MOBILE' | 'USER_FORM_FLAG_SEX' | 'USER_FORM_FLAG_NAME' | 'USER_FORM_FLAG_BIRTHDAY' | 'USER_FORM_FLAG_ADDRESS' | 'USER_FORM_FLAG_EMAIL' | 'USER_FORM_FLAG_CITY' | (string & {});
                    /** 用户填写的值 */
                    value: string;
                  }[];
                  /** 商户自定义的开卡信息字段 */
                  custom_field_list: {
                    /** 字段名称 */
                    name: string;
                    /** 字段值 */
                    value: string;
                    /** 字段值列表（多选） */
                    value_list: string[];
                  }[];
                };
              }
            }
          }
        }
        export interface Callback {
          /**
           * 查询回调地址API
           *
           * 查询已设置的会员卡事件回调地址。
           *
           * `GET /v3/marketing/membercard-open/callback`
           * @link https://pay.weixin.qq.com/wiki/doc/apiv3/wxpay/marketing/membercard_open/chapter6_2.shtml
           */
          get(config?: Callback.GetHttpMethod.RequestConfig): Promise<WxpayResponse<Callback.GetHttpMethod.WellformedResponse, 200>>;
          /**
           * 设置回调地址API
           *
           * 设置接收会员卡事件通知的回调地址。
           *
           * `PATCH /v3/marketing/membercard-open/callback`
           * @link https://pay.weixin.qq.com/wiki/doc/apiv3/wxpay/marketing/membercard_open/chapter6_1.shtml
           */
          patch(data: Callback.PatchHttpMethod.JsonDataRequest, config?: Callback.PatchHttpMethod.RequestConfig): Promise<WxpayResponse<Callback.PatchHttpMethod.WellformedResponse, 200>>;
        }
        export namespace Callback {
          export namespace GetHttpMethod {
            /** The config of `get`: `headers`, `signal`, `timeout`. */
            export interface RequestConfig extends RequestOptions {}
            /** `data` of the 200 answer. */
            export interface WellformedResponse {
              /** 通知url地址 */
              notify_url: string;
              /** 商户号 */
              mchid?: string;
            }
          }
          export namespace PatchHttpMethod {
            /** The config of `patch`: `headers`, `signal`, `timeout`. */
            export interface RequestConfig extends RequestOptions {}
            /** The JSON body of this request. */
            export interface JsonDataRequest {
              /** 通知url地址 */
              notify_url: string;
            }
            /** `data` of the 200 answer. */
            export interface WellformedResponse {
              /** 通知url地址 */
              notify_url: string;
              /** 商户号 */
              mchid?: string;
            }
          }
        }
        export interface Cards {
          /**
           * 查询会员卡模板列表API
           *
           * 分页查询商户（某品牌）的会员卡模板。
           *
           * `GET /v3/marketing/membercard-open/cards`
           * @link https://pay.weixin.qq.com/wiki/doc/apiv3/wxpay/marketing/membercard_open/chapter3_3.shtml
           */
          get(config: Cards.GetHttpMethod.RequestConfig): Promise<WxpayResponse<Cards.GetHttpMethod.WellformedResponse, 200>>;
          /**
           * 创建会员卡模板API
           *
           * 创建一张会员卡模板，成功后得到它的 card_id。
           *
           * `POST /v3/marketing/membercard-open/cards`
           * @link https://pay.weixin.qq.com/wiki/doc/apiv3/wxpay/marketing/membercard_open/chapter3_1.shtml
           */
          post(data: Cards.PostHttpMethod.JsonDataRequest, config?: Cards.PostHttpMethod.RequestConfig): Promise<WxpayResponse<Cards.PostHttpMethod.WellformedResponse, 200>>;
          /** `v3/marketing/membercard-open/cards/{card_id}` */
          readonly _card_id_: TypedNode<Cards._card_id_>;
        }
        export namespace Cards {
          export namespace GetHttpMethod {
            /** The config of `get`: the query (`params`), `headers`, `signal`, `timeout`. */
            export interface RequestConfig extends RequestOptions<QueryParams> {
              params: QueryParams;
            }
            /** The query string of this request. */
            export interface QueryParams {
              /** 品牌id */
              brand_id?: string;
              /** 商户AppId */
              appid?: string;
              /** 分页页码，从 0 开始 */
              offset: number;
              /** 分页大小 */
              limit: number;
            }
            /** `data` of the 200 answer. */
            export interface WellformedResponse {
              /** 会员卡模板列表 */
              data?: {
                /** 会员卡id */
                card_id: string;
                /** 商户AppId */
                appid: string;
                /** 品牌信息 */
                brand: {
                  /** 品牌id */
                  brand_id: string;
                  /** 品牌展示名称 */
                  display_name: string;
                };
                /** 会员卡logo */
                logo_url: string;
                /** 卡名称 */
                title: string;
                /** 会员卡背景图 */
                background_picture_url: string;
                /** 使用须知 */
                description: string;
                /** 服务电话 */
                service_phone?: string;
                /**
                 * 会员码型
                 *
                 * `BAR_CODE` 条形码; `QRCODE` 二维码; `BAR_CODE_AND_QRCODE` 条形码和二维码; `NONE_CODE` 不显示码
                 */
                code_type: 'BAR_CODE' | 'QRCODE' | 'BAR_CODE_AND_QRCODE' | 'NONE_CODE' | (string & {});
                /** 会员卡总库存 */
                total_quantity?: number;
                /** 剩余库存 */
                remain_quantity?: number;
                /** 有效期 */
                date_information: {
                  /**
                   * 有效期类型
                   *
                   * `FIX_TIME_RANGE` 固定时间范围内有效; `FIX_TERM` 领取后相对时间内有效; `PERMANENT` 永久有效
                   */
                  type: 'FIX_TIME_RANGE' | 'FIX_TERM' | 'PERMANENT' | (string & {});
                  /**
                   * 有效期开始时间
                   *
                   * Format: rfc3339.
                   */
                  available_begin_time?: string;
                  /**
                   * 有效期结束时间
                   *
                   * Format: rfc3339.
                   */
                  available_end_time?: string;
                  /** 生效后N天内有效 */
                  available_day_after_receive?: number;
                  /** 领取后N天开始生效 */
                  wait_days_after_receive?: number;
                };
                /**
                 * 会员卡code分配类型
                 *
                 * `SYSTEM_ALLOCATE` 系统分配; `MERCHANT_DEPOSIT` 商户预存; `REAL_TIME` 实时传入
                 */
                code_mode: 'SYSTEM_ALLOCATE' | 'MERCHANT_DEPOSIT' | 'REAL_TIME' | (string & {});
                /** 是否展示会员等级 */
                need_display_level?: boolean;
                /** 会员初始等级 */
                init_level?: string;
                /** 商户请求单号 */
                out_request_no: string;
                /** 储值信息 */
                balance_information?: {
                  /** 是否支持储值 */
                  need_balance?: boolean;
                  /** 储值小程序appid */
                  balance_appid?: string;
                  /** 储值小程序path */
                  balance_path?: string;
                  /** 储值url */
                  balance_url?: string;
                };
                /** 开卡信息：用户开卡时要填写的字段 */
                user_information_form?: {
                  /** 激活后是否允许用户修改 */
                  can_modify_after_activate?: boolean;
                  /** 平台提供的通用开卡信息字段 */
                  common_field_list?: ('USER_FORM_FLAG_MOBILE' | 'USER_FORM_FLAG_SEX' | 'USER_FORM_FLAG_NAME' | 'USER_FORM_FLAG_BIRTHDAY' | 'USER_FORM_FLAG_ADDRESS' | 'USER_FORM_FLAG_EMAIL' | 'USER_FORM_FLAG_CITY' | (string & {}))[];
                  /** 商户自定义的开卡信息字段 */
                  custom_field_list?: {
                    /**
                     * 字段类型
                     *
                     * `TEXT` 文本; `SELECT` 自定义选择项; `RADIO` 自定义单选; `CHECK_BOX` 自定义多选
                     */
                    type?: 'TEXT' | 'SELECT' | 'RADIO' | 'CHECK_BOX' | (string & {});
                    /** 字段名称 */
                    name?: string;
                    /** 可选的字段值 */
                    values?: string[];
                  }[];
                };
                /** 商户补充声明 */
                additional_statement?: {
                  /** 标题 */
                  title?: string;
                  /** 跳转url */
                  url?: string;
                  /** 跳转小程序appid */
                  appid?: string;
                  /** 跳转小程序path */
                  path?: string;
                };
                /**
                 * 会员卡模板状态
                 *
                 * `NOT_APPROVE` 待审核; `APPROVE_FAIL` 审核失败; `APPROVED` 通过审核; `DELETED` 已被商户删除
                 */
                status?: 'NOT_APPROVE' | 'APPROVE_FAIL' | 'APPROVED' | 'DELETED' | (string & {});
                /**
                 * 创建时间
                 *
                 * Format: rfc3339.
                 */
                create_time?: string;
                /**
                 * 更新时间
                 *
                 * Format: rfc3339.
                 */
                update_time?: string;
              }[];
              /** 总数量 */
              total_count: number;
              /** 分页页码 */
              offset: number;
              /** 分页大小 */
              limit: number;
            }
          }
          export namespace PostHttpMethod {
            /** The config of `post`: `headers`, `signal`, `timeout`. */
            export interface RequestConfig extends RequestOptions {}
            /** The JSON body of this request. */
            export interface JsonDataRequest {
              /** 商户AppId */
              appid: string;
              /** 品牌信息 */
              brand: {
                /** 品牌id */
                brand_id: string;
                /** 品牌展示名称 */
                display_name: string;
              };
              /** 会员卡logo */
              logo_url: string;
              /** 卡名称 */
              title: string;
              /** 会员卡背景图 */
              background_picture_url: string;
              /** 使用须知 */
              description: string;
              /** 服务电话 */
              service_phone?: string;
              /**
               * 会员码型
               *
               * `BAR_CODE` 条形码; `QRCODE` 二维码; `BAR_CODE_AND_QRCODE` 条形码和二维码; `NONE_CODE` 不显示码
               */
              code_type: 'BAR_CODE' | 'QRCODE' | 'BAR_CODE_AND_QRCODE' | 'NONE_CODE';
              /** 会员卡总库存 */
              total_quantity?: number;
              /** 有效期 */
              date_information: {
                /**
                 * 有效期类型
                 *
                 * `FIX_TIME_RANGE` 固定时间范围内有效; `FIX_TERM` 领取后相对时间内有效; `PERMANENT` 永久有效
                 */
                type: 'FIX_TIME_RANGE' | 'FIX_TERM' | 'PERMANENT';
                /**
                 * 有效期开始时间
                 *
                 * Format: rfc3339.
                 */
                available_begin_time?: string;
                /**
                 * 有效期结束时间
                 *
                 * Format: rfc3339.
                 */
                available_end_time?: string;
                /** 生效后N天内有效 */
                available_day_after_receive?: number;
                /** 领取后N天开始生效 */
                wait_days_after_receive?: number;
              };
              /**
               * 会员卡code分配类型
               *
               * `SYSTEM_ALLOCATE` 系统分配; `MERCHANT_DEPOSIT` 商户预存; `REAL_TIME` 实时传入
               */
              code_mode: 'SYSTEM_ALLOCATE' | 'MERCHANT_DEPOSIT' | 'REAL_TIME';
              /** 是否展示会员等级 */
              need_display_level?: boolean;
              /** 会员初始等级 */
              init_level?: string;
              /** 商户请求单号 */
              out_request_no: string;
              /** 储值信息 */
              balance_information?: {
                /** 是否支持储值 */
                need_balance?: boolean;
                /** 储值小程序appid */
                balance_appid?: string;
                /** 储值小程序path */
                balance_path?: string;
                /** 储值url */
                balance_url?: string;
              };
              /** 开卡信息：用户开卡时要填写的字段 */
              user_information_form?: {
                /** 激活后是否允许用户修改 */
                can_modify_after_activate?: boolean;
                /** 平台提供的通用开卡信息字段 */
                common_field_list?: ('USER_FORM_FLAG_MOBILE' | 'USER_FORM_FLAG_SEX' | 'USER_FORM_FLAG_NAME' | 'USER_FORM_FLAG_BIRTHDAY' | 'USER_FORM_FLAG_ADDRESS' | 'USER_FORM_FLAG_EMAIL' | 'USER_FORM_FLAG_CITY')[];
                /** 商户自定义的开卡信息字段 */
                custom_field_list?: {
                  /**
                   * 字段类型
                   *
                   * `TEXT` 文本; `SELECT` 自定义选择项; `RADIO` 自定义单选; `CHECK_BOX` 自定义多选
                   */
                  type?: 'TEXT' | 'SELECT' | 'RADIO' | 'CHECK_BOX';
                  /** 字段名称 */
                  name?: string;
                  /** 可选的字段值 */
                  values?: string[];
                }[];
              };
              /** 商户补充声明 */
              additional_statement?: {
                /** 标题 */
                title?: string;
                /** 跳转url */
                url?: string;
                /** 跳转小程序appid */
                appid?: string;
                /** 跳转小程序path */
                path?: string;
              };
            }
            /**
             * `data` of the 200 answer.
             *
             * 会员卡模板
             */
            export interface WellformedResponse {
              /** 会员卡id */
              card_id: string;
              /** 商户AppId */
              appid: string;
              /** 品牌信息 */
              brand: {
                /** 品牌id */
                brand_id: string;
                /** 品牌展示名称 */
                display_name: string;
              };
              /** 会员卡logo */
              logo_url: string;
              /** 卡名称 */
              title: string;
              /** 会员卡背景图 */
              background_picture_url: string;
              /** 使用须知 */
              description: string;
              /** 服务电话 */
              service_phone?: string;
              /**
               * 会员码型
               *
               * `BAR_CODE` 条形码; `QRCODE` 二维码; `BAR_CODE_AND_QRCODE` 条形码和二维码; `NONE_CODE` 不显示码
               */
              code_type: 'BAR_CODE' | 'QRCODE' | 'BAR_CODE_AND_QRCODE' | 'NONE_CODE' | (string & {});
              /** 会员卡总库存 */
              total_quantity?: number;
              /** 剩余库存 */
              remain_quantity?: number;
              /** 有效期 */
              date_information: {
                /**
                 * 有效期类型
                 *
                 * `FIX_TIME_RANGE` 固定时间范围内有效; `FIX_TERM` 领取后相对时间内有效; `PERMANENT` 永久有效
                 */
                type: 'FIX_TIME_RANGE' | 'FIX_TERM' | 'PERMANENT' | (string & {});
                /**
                 * 有效期开始时间
                 *
                 * Format: rfc3339.
                 */
                available_begin_time?: string;
                /**
                 * 有效期结束时间
                 *
                 * Format: rfc3339.
                 */
                available_end_time?: string;
                /** 生效后N天内有效 */
                available_day_after_receive?: number;
                /** 领取后N天开始生效 */
                wait_days_after_receive?: number;
              };
              /**
               * 会员卡code分配类型
               *
               * `SYSTEM_ALLOCATE` 系统分配; `MERCHANT_DEPOSIT` 商户预存; `REAL_TIME` 实时传入
               */
              code_mode: 'SYSTEM_ALLOCATE' | 'MERCHANT_DEPOSIT' | 'REAL_TIME' | (string & {});
              /** 是否展示会员等级 */
              need_display_level?: boolean;
              /** 会员初始等级 */
              init_level?: string;
              /** 商户请求单号 */
              out_request_no: string;
              /** 储值信息 */
              balance_information?: {
                /** 是否支持储值 */
                need_balance?: boolean;
                /** 储值小程序appid */
                balance_appid?: string;
                /** 储值小程序path */
                balance_path?: string;
                /** 储值url */
                balance_url?: string;
              };
              /** 开卡信息：用户开卡时要填写的字段 */
              user_information_form?: {
                /** 激活后是否允许用户修改 */
                can_modify_after_activate?: boolean;
                /** 平台提供的通用开卡信息字段 */
                common_field_list?: ('USER_FORM_FLAG_MOBILE' | 'USER_FORM_FLAG_SEX' | 'USER_FORM_FLAG_NAME' | 'USER_FORM_FLAG_BIRTHDAY' | 'USER_FORM_FLAG_ADDRESS' | 'USER_FORM_FLAG_EMAIL' | 'USER_FORM_FLAG_CITY' | (string & {}))[];
                /** 商户自定义的开卡信息字段 */
                custom_field_list?: {
                  /**
                   * 字段类型
                   *
                   * `TEXT` 文本; `SELECT` 自定义选择项; `RADIO` 自定义单选; `CHECK_BOX` 自定义多选
                   */
                  type?: 'TEXT' | 'SELECT' | 'RADIO' | 'CHECK_BOX' | (string & {});
                  /** 字段名称 */
                  name?: string;
                  /** 可选的字段值 */
                  values?: string[];
                }[];
              };
              /** 商户补充声明 */
              additional_statement?: {
                /** 标题 */
                title?: string;
                /** 跳转url */
                url?: string;
                /** 跳转小程序appid */
                appid?: string;
                /** 跳转小程序path */
                path?: string;
              };
              /**
               * 会员卡模板状态
               *
               * `NOT_APPROVE` 待审核; `APPROVE_FAIL` 审核失败; `APPROVED` 通过审核; `DELETED` 已被商户删除
               */
              status?: 'NOT_APPROVE' | 'APPROVE_FAIL' | 'APPROVED' | 'DELETED' | (string & {});
              /**
               * 创建时间
               *
               * Format: rfc3339.
               */
              create_time?: string;
              /**
               * 更新时间
               *
               * Format: rfc3339.
               */
              update_time?: string;
            }
          }
          export interface _card_id_ {
            /**
             * 查询会员卡模板信息API
             *
             * 查询一张会员卡模板的全部信息。
             *
             * `GET /v3/marketing/membercard-open/cards/{card_id}`
             * @link https://pay.weixin.qq.com/wiki/doc/apiv3/wxpay/marketing/membercard_open/chapter3_2.shtml
             */
            get(config: _card_id_.GetHttpMethod.RequestConfig): Promise<WxpayResponse<_card_id_.GetHttpMethod.WellformedResponse, 200>>;
            /**
             * 修改会员卡模板信息API
             *
             * 更新会员卡模板的基本信息、储值信息、开卡信息和补充说明。
             *
             * `PATCH /v3/marketing/membercard-open/cards/{card_id}`
             * @link https://pay.weixin.qq.com/wiki/doc/apiv3/wxpay/marketing/membercard_open/chapter3_9.shtml
             */
            patch(data: _card_id_.PatchHttpMethod.JsonDataRequest, config: _card_id_.PatchHttpMethod.RequestConfig): Promise<WxpayResponse<_card_id_.PatchHttpMethod.WellformedResponse, 204>>;
            /**
             * 删除会员卡模板API
             *
             * 删除会员卡模板；删除后不能再投放。
             *
             * `DELETE /v3/marketing/membercard-open/cards/{card_id}`
             * @link https://pay.weixin.qq.com/wiki/doc/apiv3/wxpay/marketing/membercard_open/chapter3_11.shtml
             */
            delete(config: _card_id_.DeleteHttpMethod.RequestConfig): Promise<WxpayResponse<_card_id_.DeleteHttpMethod.WellformedResponse, 204>>;
            /** `v3/marketing/membercard-open/cards/{card_id}/codes` */
            readonly codes: TypedNode<_card_id_.Codes>;
          }
          export namespace _card_id_ {
            export namespace GetHttpMethod {
              /** The config of `get`: the path placeholders, `headers`, `signal`, `timeout`. */
              export interface RequestConfig extends RequestOptions {
                /** 会员卡id */
                card_id: string;
              }
              /**
               * `data` of the 200 answer.
               *
               * 会员卡模板
               */
              export interface WellformedResponse {
                /** 会员卡id */
                card_id: string;
                /** 商户AppId */
                appid: string;
                /** 品牌信息 */
                brand: {
                  /** 品牌id */
                  brand_id: string;
                  /** 品牌展示名称 */
                  display_name: string;
                };
                /** 会员卡logo */
                logo_url: string;
                /** 卡名称 */
                title: string;
                /** 会员卡背景图 */
                background_picture_url: string;
                /** 使用须知 */
                description: string;
                /** 服务电话 */
                service_phone?: string;
                /**
                 * 会员码型
                 *
                 * `BAR_CODE` 条形码; `QRCODE` 二维码; `BAR_CODE_AND_QRCODE` 条形码和二维码; `NONE_CODE` 不显示码
                 */
                code_type: 'BAR_CODE' | 'QRCODE' | 'BAR_CODE_AND_QRCODE' | 'NONE_CODE' | (string & {});
                /** 会员卡总库存 */
                total_quantity?: number;
                /** 剩余库存 */
                remain_quantity?: number;
                /** 有效期 */
                date_information: {
                  /**
                   * 有效期类型
                   *
                   * `FIX_TIME_RANGE` 固定时间范围内有效; `FIX_TERM` 领取后相对时间内有效; `PERMANENT` 永久有效
                   */
                  type: 'FIX_TIME_RANGE' | 'FIX_TERM' | 'PERMANENT' | (string & {});
                  /**
                   * 有效期开始时间
                   *
                   * Format: rfc3339.
                   */
                  available_begin_time?: string;
                  /**
                   * 有效期结束时间
                   *
                   * Format: rfc3339.
                   */
                  available_end_time?: string;
                  /** 生效后N天内有效 */
                  available_day_after_receive?: number;
                  /** 领取后N天开始生效 */
                  wait_days_after_receive?: number;
                };
                /**
                 * 会员卡code分配类型
                 *
                 * `SYSTEM_ALLOCATE` 系统分配; `MERCHANT_DEPOSIT` 商户预存; `REAL_TIME` 实时传入
                 */
                code_mode: 'SYSTEM_ALLOCATE' | 'MERCHANT_DEPOSIT' | 'REAL_TIME' | (string & {});
                /** 是否展示会员等级 */
                need_display_level?: boolean;
                /** 会员初始等级 */
                init_level?: string;
                /** 商户请求单号 */
                out_request_no: string;
                /** 储值信息 */
                balance_information?: {
                  /** 是否支持储值 */
                  need_balance?: boolean;
                  /** 储值小程序appid */
                  balance_appid?: string;
                  /** 储值小程序path */
                  balance_path?: string;
                  /** 储值url */
                  balance_url?: string;
                };
                /** 开卡信息：用户开卡时要填写的字段 */
                user_information_form?: {
                  /** 激活后是否允许用户修改 */
                  can_modify_after_activate?: boolean;
                  /** 平台提供的通用开卡信息字段 */
                  common_field_list?: ('USER_FORM_FLAG_MOBILE' | 'USER_FORM_FLAG_SEX' | 'USER_FORM_FLAG_NAME' | 'USER_FORM_FLAG_BIRTHDAY' | 'USER_FORM_FLAG_ADDRESS' | 'USER_FORM_FLAG_EMAIL' | 'USER_FORM_FLAG_CITY' | (string & {}))[];
                  /** 商户自定义的开卡信息字段 */
                  custom_field_list?: {
                    /**
                     * 字段类型
                     *
                     * `TEXT` 文本; `SELECT` 自定义选择项; `RADIO` 自定义单选; `CHECK_BOX` 自定义多选
                     */
                    type?: 'TEXT' | 'SELECT' | 'RADIO' | 'CHECK_BOX' | (string & {});
                    /** 字段名称 */
                    name?: string;
                    /** 可选的字段值 */
                    values?: string[];
                  }[];
                };
                /** 商户补充声明 */
                additional_statement?: {
                  /** 标题 */
                  title?: string;
                  /** 跳转url */
                  url?: string;
                  /** 跳转小程序appid */
                  appid?: string;
                  /** 跳转小程序path */
                  path?: string;
                };
                /**
                 * 会员卡模板状态
                 *
                 * `NOT_APPROVE` 待审核; `APPROVE_FAIL` 审核失败; `APPROVED` 通过审核; `DELETED` 已被商户删除
                 */
                status?: 'NOT_APPROVE' | 'APPROVE_FAIL' | 'APPROVED' | 'DELETED' | (string & {});
                /**
                 * 创建时间
                 *
                 * Format: rfc3339.
                 */
                create_time?: string;
                /**
                 * 更新时间
                 *
                 * Format: rfc3339.
                 */
                update_time?: string;
              }
            }
            export namespace PatchHttpMethod {
              /** The config of `patch`: the path placeholders, `headers`, `signal`, `timeout`. */
              export interface RequestConfig extends RequestOptions {
                /** 会员卡id */
                card_id: string;
              }
              /** The JSON body of this request. */
              export interface JsonDataRequest {
                /** 商户AppId */
                appid?: string;
                /** 会员卡logo */
                logo_url?: string;
                /** 卡名称 */
                title?: string;
                /** 会员卡背景图 */
                background_picture_url?: string;
                /** 使用须知 */
                description?: string;
                /** 服务电话 */
                service_phone?: string;
                /** 会员卡总库存 */
                total_quantity?: number;
                /** 有效期 */
                date_information?: {
                  /**
                   * 有效期类型
                   *
                   * `FIX_TIME_RANGE` 固定时间范围内有效; `FIX_TERM` 领取后相对时间内有效; `PERMANENT` 永久有效
                   */
                  type: 'FIX_TIME_RANGE' | 'FIX_TERM' | 'PERMANENT';
                  /**
                   * 有效期开始时间
                   *
                   * Format: rfc3339.
                   */
                  available_begin_time?: string;
                  /**
                   * 有效期结束时间
                   *
                   * Format: rfc3339.
                   */
                  available_end_time?: string;
                  /** 生效后N天内有效 */
                  available_day_after_receive?: number;
                  /** 领取后N天开始生效 */
                  wait_days_after_receive?: number;
                };
                /** 是否展示会员等级 */
                need_display_level?: boolean;
                /** 会员初始等级 */
                init_level?: string;
                /** 储值信息 */
                balance_information?: {
                  /** 是否支持储值 */
                  need_balance?: boolean;
                  /** 储值小程序appid */
                  balance_appid?: string;
                  /** 储值小程序path */
                  balance_path?: string;
                  /** 储值url */
                  balance_url?: string;
                };
                /** 开卡信息：用户开卡时要填写的字段 */
                user_information_form?: {
                  /** 激活后是否允许用户修改 */
                  can_modify_after_activate?: boolean;
                  /** 平台提供的通用开卡信息字段 */
                  common_field_list?: ('USER_FORM_FLAG_MOBILE' | 'USER_FORM_FLAG_SEX' | 'USER_FORM_FLAG_NAME' | 'USER_FORM_FLAG_BIRTHDAY' | 'USER_FORM_FLAG_ADDRESS' | 'USER_FORM_FLAG_EMAIL' | 'USER_FORM_FLAG_CITY')[];
                  /** 商户自定义的开卡信息字段 */
                  custom_field_list?: {
                    /**
                     * 字段类型
                     *
                     * `TEXT` 文本; `SELECT` 自定义选择项; `RADIO` 自定义单选; `CHECK_BOX` 自定义多选
                     */
                    type?: 'TEXT' | 'SELECT' | 'RADIO' | 'CHECK_BOX';
                    /** 字段名称 */
                    name?: string;
                    /** 可选的字段值 */
                    values?: string[];
                  }[];
                };
                /** 商户补充声明 */
                additional_statement?: {
                  /** 标题 */
                  title?: string;
                  /** 跳转url */
                  url?: string;
                  /** 跳转小程序appid */
                  appid?: string;
                  /** 跳转小程序path */
                  path?: string;
                };
              }
              /** 204 No Content: the answer has no body, so `data` is `''`. */
              export type WellformedResponse = '';
            }
            export namespace DeleteHttpMethod {
              /** The config of `delete`: the path placeholders, `headers`, `signal`, `timeout`. */
              export interface RequestConfig extends RequestOptions {
                /** 会员卡id */
                card_id: string;
              }
              /** 204 No Content: the answer has no body, so `data` is `''`. */
              export type WellformedResponse = '';
            }
            export interface Codes {
              /** `v3/marketing/membercard-open/cards/{card_id}/codes/deposit` */
              readonly deposit: TypedNode<Codes.Deposit>;
              /** `v3/marketing/membercard-open/cards/{card_id}/codes/{code}` */
              readonly _code_: TypedNode<Codes._code_>;
            }
            export namespace Codes {
              export interface Deposit {
                /**
                 * 导入会员Code API
                 *
                 * code 分配类型为商户预存（MERCHANT_DEPOSIT）时，向会员卡导入 code；库存随之更新为 code 数量，用户领卡时从中分配。
                 *
                 * `POST /v3/marketing/membercard-open/cards/{card_id}/codes/deposit`
                 * @link https://pay.weixin.qq.com/wiki/doc/apiv3/wxpay/marketing/membercard_open/chapter3_7.shtml
                 */
                post(data: Deposit.PostHttpMethod.JsonDataRequest, config: Deposit.PostHttpMethod.RequestConfig): Promise<WxpayResponse<Deposit.PostHttpMethod.WellformedResponse, 200>>;
              }
              export namespace Deposit {
                export namespace PostHttpMethod {
                  /** The config of `post`: the path placeholders, `headers`, `signal`, `timeout`. */
                  export interface RequestConfig extends RequestOptions {
                    /** 会员卡id */
                    card_id: string;
                  }
                  /** The JSON body of this request. */
                  export interface JsonDataRequest {
                    /** 要导入的会员卡code列表 */
                    code?: string[];
                  }
                  /** `data` of the 200 answer. */
                  export interface WellformedResponse {
                    /** 每个code的导入结果 */
                    data?: {
                      /** 会员卡code */
                      code?: string;
                      /**
                       * 导入结果
                       *
                       * `SUCCESS` 成功; `DUPLICATE` 重复; `FAIL` 失败
                       */
                      result?: 'SUCCESS' | 'DUPLICATE' | 'FAIL' | (string & {});
                    }[];
                  }
                }
              }
              export interface _code_ {
                /**
                 * 查询用户会员卡信息API
                 *
                 * 通过此接口可查询指定用户会员卡的信息，如会员积分、储值余额、开卡信息等
                 *
                 * `GET /v3/marketing/membercard-open/cards/{card_id}/codes/{code}`
                 * @link https://pay.weixin.qq.com/wiki/doc/apiv3/wxpay/marketing/membercard_open/chapter3_4.shtml
                 */
                get(config: _code_.GetHttpMethod.RequestConfig): Promise<WxpayResponse<_code_.GetHttpMethod.WellformedResponse, 200>>;
                /**
                 * 修改用户会员卡信息API
                 *
                 * 通过此接口可更新指定用户的会员卡背景图、会员卡号、等级、储值余额
                 *
                 * `PATCH /v3/marketing/membercard-open/cards/{card_id}/codes/{code}`
                 * @link https://pay.weixin.qq.com/wiki/doc/apiv3/wxpay/marketing/membercard_open/chapter3_8.shtml
                 */
                patch(data: _code_.PatchHttpMethod.JsonDataRequest, config: _code_.PatchHttpMethod.RequestConfig): Promise<WxpayResponse<_code_.PatchHttpMethod.WellformedResponse, 204>>;
                /** `v3/marketing/membercard-open/cards/{card_id}/codes/{code}/activate` */
                readonly activate: TypedNode<_code_.Activate>;
                /** `v3/marketing/membercard-open/cards/{card_id}/codes/{code}/rights` */
                readonly rights: TypedNode<_code_.Rights>;
                /** `v3/marketing/membercard-open/cards/{card_id}/codes/{code}/unavailable` */
                readonly unavailable: TypedNode<_code_.Unavailable>;
              }
              export namespace _code_ {
                export namespace GetHttpMethod {
                  /** The config of `get`: the path placeholders, `headers`, `signal`, `timeout`. */
                  export interface RequestConfig extends RequestOptions {
                    /** 会员卡id */
                    card_id: string;
                    /** 会员卡code */
                    code: string;
                  }
                  /**
                   * `data` of the 200 answer.
                   *
                   * 用户会员卡
                   */
                  export interface WellformedResponse {
                    /** 会员卡id */
                    card_id: string;
                    /** 会员卡code */
                    code: string;
                    /** 用户标识 */
                    openid: string;
                    /** 会员卡编号 */
                    membership_number: string;
                    /** 用户等级 */
                    level: string;
                    /** 微信昵称 */
                    nickname: string;
                    /** 微信头像url */
                    head_image_url: string;
                    /** 会员卡背景图 */
                    background_picture_url: string;
                    /** 用户储值余额 */
                    balance: number;
                    /**
                     * 用户会员卡状态
                     *
                     * `NOT_ACTIVATE` 未激活; `EFFECTIVE` 生效中; `EXPIRE` 已过期; `UNAVAILABLE` 已失效; `DELETE` 已删除
                     */
                    user_card_status: 'NOT_ACTIVATE' | 'EFFECTIVE' | 'EXPIRE' | 'UNAVAILABLE' | 'DELETE' | (string & {});
                    /** 用户开卡时填写的个人信息 */
                    user_information: {
                      /** 平台提供的通用开卡信息字段 */
                      common_field_list: {
                        /**
                         * 平台提供的通用开卡信息字段
                         *
                         * `USER_FORM_FLAG_MOBILE` 手机号; `USER_FORM_FLAG_SEX` 性别; `USER_FORM_FLAG_NAME` 姓名; `USER_FORM_FLAG_BIRTHDAY` 生日; `USER_FORM_FLAG_ADDRESS` 地址; `USER_FORM_FLAG_EMAIL` 邮箱; `USER_FORM_FLAG_CITY` 城市
                         */
                        name: 'USER_FORM_FLAG_MOBILE' | 'USER_FORM_FLAG_SEX' | 'USER_FORM_FLAG_NAME' | 'USER_FORM_FLAG_BIRTHDAY' | 'USER_FORM_FLAG_ADDRESS' | 'USER_FORM_FLAG_EMAIL' | 'USER_FORM_FLAG_CITY' | (string & {});
                        /** 用户填写的值 */
                        value: string;
                      }[];
                      /** 商户自定义的开卡信息字段 */
                      custom_field_list: {
                        /** 字段名称 */
                        name: string;
                        /** 字段值 */
                        value: string;
                        /** 字段值列表（多选） */
                        value_list: string[];
                      }[];
                    };
                    /** 用户当前积分 */
                    bonus_value: number;
                  }
                }
                export namespace PatchHttpMethod {
                  /** The config of `patch`: the path placeholders, `headers`, `signal`, `timeout`. */
                  export interface RequestConfig extends RequestOptions {
                    /** 会员卡id */
                    card_id: string;
                    /** 会员卡code */
                    code: string;
                  }
                  /** The JSON body of this request. */
                  export interface JsonDataRequest {
                    /** 会员卡编号 */
                    membership_number?: string;
                    /** 会员卡背景图 */
                    background_picture_url?: string;
                    /** 用户等级 */
                    level?: string;
                    /** 商户请求单号：同一单号重试不会重复修改 */
                    out_request_no: string;
                    /** 用户储值变更信息 */
                    balance_information?: {
                      /** 更新前用户储值余额 */
                      before_balance: number;
                      /** 更新后用户储值余额 */
                      balance: number;
                      /** 本次余额变动值 */
                      add_balance: number;
                      /** 储值消耗记录 */
                      balance_remark?: string;
                    };
                    /** 是否通知用户储值余额变动 */
                    need_inform_balance?: boolean;
                    /** 是否通知用户等级变动 */
                    need_inform_level?: boolean;
                  }
                  /** 204 No Content: the answer has no body, so `data` is `''`. */
                  export type WellformedResponse = '';
                }
                export interface Activate {
                  /**
                   * 激活会员卡（跳转型激活）API
                   *
                   * 跳转型激活：用户跳转到商户的 H5 或小程序填写信息后，由商户调用此接口激活会员卡。
                   *
                   * `POST /v3/marketing/membercard-open/cards/{card_id}/codes/{code}/activate`
                   * @link https://pay.weixin.qq.com/wiki/doc/apiv3/wxpay/marketing/membercard_open/chapter3_10.shtml
                   */
                  post(data: Activate.PostHttpMethod.JsonDataRequest, config: Activate.PostHttpMethod.RequestConfig): Promise<WxpayResponse<Activate.PostHttpMethod.WellformedResponse, 204>>;
                }
                export namespace Activate {
                  export namespace PostHttpMethod {
                    /** The config of `post`: the path placeholders, `headers`, `signal`, `timeout`. */
                    export interface RequestConfig extends RequestOptions {
                      /** 会员卡id */
                      card_id: string;
                      /** 会员卡code */
                      code: string;
                    }
                    /** The JSON body of this request. */
                    export interface JsonDataRequest {
                      /** 会员卡编号 */
                      membership_number?: string;
                    }
                    /** 204 No Content: the answer has no body, so `data` is `''`. */
                    export type WellformedResponse = '';
                  }
                }
                export interface Rights {
                  /**
                   * 设置会员权益API
                   *
                   * 更新用户会员卡的积分等权益信息。
                   *
                   * `PATCH /v3/marketing/membercard-open/cards/{card_id}/codes/{code}/rights`
                   * @link https://pay.weixin.qq.com/wiki/doc/apiv3/wxpay/marketing/membercard_open/chapter5_2.shtml
                   */
                  patch(data: Rights.PatchHttpMethod.JsonDataRequest, config: Rights.PatchHttpMethod.RequestConfig): Promise<WxpayResponse<Rights.PatchHttpMethod.WellformedResponse, 204>>;
                }
                export namespace Rights {
                  export namespace PatchHttpMethod {
                    /** The config of `patch`: the path placeholders, `headers`, `signal`, `timeout`. */
                    export interface RequestConfig extends RequestOptions {
                      /** 会员卡id */
                      card_id: string;
                      /** 会员卡code */
                      code: string;
                    }
                    /** The JSON body of this request. */
                    export interface JsonDataRequest {
                      /** 变更前的会员积分值 */
                      before_bonus_value?: number;
                      /** 变更后的会员积分值 */
                      bonus_value?: number;
                      /** 会员积分变动值 */
                      add_bonus_value?: number;
                      /** 商户请求单号 */
                      out_request_no: string;
                    }
                    /** 204 No Content: the answer has no body, so `data` is `''`. */
                    export type WellformedResponse = '';
                  }
                }
                export interface Unavailable {
                  /**
                   * 作废用户会员卡API
                   *
                   * 把用户的会员卡置为失效状态。
                   *
                   * `POST /v3/marketing/membercard-open/cards/{card_id}/codes/{code}/unavailable`
                   * @link https://pay.weixin.qq.com/wiki/doc/apiv3/wxpay/marketing/membercard_open/chapter3_12.shtml
                   */
                  post(data: Unavailable.PostHttpMethod.JsonDataRequest, config: Unavailable.PostHttpMethod.RequestConfig): Promise<WxpayResponse<Unavailable.PostHttpMethod.WellformedResponse, 204>>;
                }
                export namespace Unavailable {
                  export namespace PostHttpMethod {
                    /** The config of `post`: the path placeholders, `headers`, `signal`, `timeout`. */
                    export interface RequestConfig extends RequestOptions {
                      /** 会员卡id */
                      card_id: string;
                      /** 会员卡code */
                      code: string;
                    }
                    /** The JSON body of this request. */
                    export interface JsonDataRequest {
                      /** 失效理由 */
                      reason?: string;
                    }
                    /** 204 No Content: the answer has no body, so `data` is `''`. */
                    export type WellformedResponse = '';
                  }
                }
              }
            }
          }
        }
        export interface User {
          /** `v3/marketing/membercard-open/user/cards` */
          readonly cards: TypedNode<User.Cards>;
        }
        export namespace User {
          export interface Cards {
            /**
             * 查询用户在品牌下所有会员卡API
             *
             * 分页查询用户在当前品牌下领取的所有会员卡。
             *
             * `GET /v3/marketing/membercard-open/user/cards`
             * @link https://pay.weixin.qq.com/wiki/doc/apiv3/wxpay/marketing/membercard_open/chapter3_5.shtml
             */
            get(config: Cards.GetHttpMethod.RequestConfig): Promise<WxpayResponse<Cards.GetHttpMethod.WellformedResponse, 200>>;
          }
          export namespace Cards {
            export namespace GetHttpMethod {
              /** The config of `get`: the query (`params`), `headers`, `signal`, `timeout`. */
              export interface RequestConfig extends RequestOptions<QueryParams> {
                params: QueryParams;
              }
              /** The query string of this request. */
              export interface QueryParams {
                /** 用户标识 */
                openid: string;
                /** 商户AppId */
                appid?: string;
                /** 分页页码，从 0 开始 */
                offset: number;
                /** 分页大小 */
                limit: number;
              }
              /** `data` of the 200 answer. */
              export interface WellformedResponse {
                /** 会员卡列表 */
                data?: {
                  /** 会员卡id */
                  card_id?: string;
                  /** 会员卡code */
                  code?: string;
                }[];
                /** 总数量 */
                total_count: number;
                /** 分页页码 */
                offset: number;
                /** 分页大小 */
                limit: number;
              }
            }
          }
        }
      }
    }
  }
}
