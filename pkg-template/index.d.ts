/**
 * wxpay-wasm: a WeChat Pay APIv3 client in Rust/WebAssembly.
 * Every request is signed, every answer verified, before you see it.
 *
 * This file is the hand-written core of the package's declarations. The
 * build (scripts/build-pkg.sh) appends the endpoint types that
 * scripts/gen-types.mjs generates from the API descriptions in api/, which add members to
 * `WeChatPay.OpenAPI.V3`, and ships the result as index.d.cts, which `require` resolves and
 * index.d.ts (which `import` resolves) re-exports. Fetch types (`Response`, `RequestInit`, `Headers`,
 * `AbortSignal`, `URLSearchParams`) come from the environment's lib: `dom`,
 * `@types/node` or `@cloudflare/workers-types`.
 */

/**
 * Options of `new Wxpay(options)`: `certs`, or `apiv3Key` to have the platform certificates
 * downloaded (or both).
 */
export type WxpayOptions = WxpayClientOptions &
  ({ certs: NonNullable<WxpayClientOptions['certs']> } | { apiv3Key: string });

/** Every option of `new Wxpay(options)`; see `WxpayOptions` for which are required. */
export interface WxpayClientOptions {
  /** Merchant id, e.g. `'1900000109'`. */
  mchid: string;
  /** Serial number of the merchant API certificate: hex (as `openssl x509 -noout -serial` prints it, `serial=` and all), sent in upper case. */
  serial: string;
  /** The merchant private key (`apiclient_key.pem`): PKCS#8 or PKCS#1 PEM, or its bytes. */
  privateKey: string | Uint8Array | ArrayBuffer;
  /**
   * Keys that may sign WeChat Pay's answers: platform certificate serial (or `PUB_KEY_ID_...`)
   * to the PEM of an X.509 certificate, an SPKI public key or a PKCS#1 public key. A certificate
   * must be given under its own serial (in any case, with or without a leading zero): another key
   * is `ERR_INVALID_CONFIG`; a public key under `PUB_KEY_ID_` and digits, or a certificate's hex
   * serial: another name is `ERR_INVALID_CONFIG` too.
   * Required unless `apiv3Key` is given, in which case the platform certificates are downloaded.
   * A plain object or a `Map`. Not the merchant's own certificate (`apiclient_cert.pem`, whose
   * serial is `serial`): that is `ERR_INVALID_CONFIG`.
   */
  certs?: Record<string, string | Uint8Array | ArrayBuffer> | Map<string, string | Uint8Array | ArrayBuffer> | undefined;
  /**
   * Defaults to `https://api.mch.weixin.qq.com/`. May carry a path prefix, but not end in `/v3`
   * (the chain starts at `wxpay.v3`): `ERR_INVALID_CONFIG`.
   */
  baseURL?: string | undefined;
  /** A fetch-compatible function used instead of the global `fetch`. */
  fetch?: ((input: string, init: RequestInit) => Promise<Response>) | undefined;
  /** Default timeout of each request, in milliseconds: it settles the call even if `fetch` ignores its signal. */
  timeout?: number | undefined;
  /**
   * The largest answer body accepted, in bytes (default 32 MiB, at most 1 GiB). A larger
   * answer is refused with `ERR_RESPONSE_TOO_LARGE` as soon as it passes the limit.
   */
  maxBodyBytes?: number | undefined;
  /**
   * The RSA backend: `'auto'` (the default: `node:crypto` where the runtime has it, as Node,
   * Bun, Deno and a Worker with `nodejs_compat` do, else the runtime's WebCrypto where it has
   * `crypto.subtle`, else Rust), `'node'`, `'webcrypto'` or `'rust'`.
   */
  crypto?: 'auto' | 'node' | 'webcrypto' | 'rust' | undefined;
  /**
   * Retries of a `GET` on a network error, a 429 or a 5xx answer, one over `maxBodyBytes` too
   * (default 2; `false` or 0: none).
   * Other methods retry only when a request asks (`retry: true` or a count). Each attempt is
   * signed afresh; waits grow exponentially with full jitter; `Retry-After` is honoured; all of
   * it within the request's `timeout`/`signal`. An answer that fails verification is never retried.
   */
  retry?: number | false | undefined;
  /**
   * Where a request goes when the main host cannot be reached: for a request allowed to retry,
   * after any network error; for any request, when the connection never opened (nothing was
   * sent). Default: `https://api2.mch.weixin.qq.com/` when `baseURL` is left out, else none (also
   * when `baseURL` is given as the default's address); `false`: none. Each request starts on the
   * main host.
   */
  backupBaseURL?: string | false | undefined;
  /** Called before each attempt. What it throws is ignored. */
  onRequest?: ((info: WxpayRequestInfo) => void) | undefined;
  /**
   * Called after each attempt, with its status or error code: an attempt that is retried as it
   * ends, the last once its answer is verified (a 2xx refused carries the code it was refused
   * with; a streamed download is heard as its stream is handed over). What it throws is ignored.
   */
  onResponse?: ((info: WxpayResponseInfo) => void) | undefined;
}

/** What `onRequest` sees: never keys, signatures or bodies. */
export interface WxpayRequestInfo {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The URL as sent, query included. */
  url: string;
  /** 1 for the first attempt. */
  attempt: number;
}

/** What `onResponse` sees. */
export interface WxpayResponseInfo extends WxpayRequestInfo {
  /** Milliseconds from sending to the answer read (the last attempt's: and verified), or the failure. */
  duration: number;
  /** The answer's status, when one arrived. */
  status?: number;
  /** The answer's `Request-ID`. */
  requestId?: string;
  /**
   * The error code when no answer arrived (`ERR_NETWORK`, `ERR_TIMEOUT`...), or when a 2xx
   * answer was refused (`ERR_RESPONSE_SIGNATURE`, `ERR_RESPONSE_SERIAL`...; `status` beside it).
   */
  error?: string;
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

/**
 * The headers a request sets itself (`Authorization`, and those that frame it), which it refuses
 * with `ERR_INVALID_PARAM` when given: `never` here, in their usual spellings, so that giving one
 * does not compile. (Named, not a pattern: a `Proxy-${string}` index signature would refuse every
 * `Record<string, string>` of headers built at run time.)
 */
export type ReservedHeaderName = 'Authorization' | 'Content-Length' | 'Transfer-Encoding' | 'Host' | 'Connection' | 'Expect' | 'Keep-Alive' | 'Upgrade' | 'TE' | 'Trailer' | 'Proxy-Authorization' | 'Proxy-Connection';
/**
 * The reserved headers one by one, so that an editor shows why one is refused where it is given
 * (the type error itself says only that a string is not `undefined`).
 */
export interface ReservedHeaders {
  /** Not yours to give (the request's signature, which the package makes for each attempt): giving it is `ERR_INVALID_PARAM`. */
  readonly Authorization?: never;
  /** Not yours to give (the request's signature, which the package makes for each attempt): giving it is `ERR_INVALID_PARAM`. */
  readonly authorization?: never;
  /** Not yours to give (the connection's or the framing's, which the runtime's `fetch` or its proxy sets): giving it is `ERR_INVALID_PARAM`. */
  readonly 'Content-Length'?: never;
  /** Not yours to give (the connection's or the framing's, which the runtime's `fetch` or its proxy sets): giving it is `ERR_INVALID_PARAM`. */
  readonly 'content-length'?: never;
  /** Not yours to give (the connection's or the framing's, which the runtime's `fetch` or its proxy sets): giving it is `ERR_INVALID_PARAM`. */
  readonly 'Transfer-Encoding'?: never;
  /** Not yours to give (the connection's or the framing's, which the runtime's `fetch` or its proxy sets): giving it is `ERR_INVALID_PARAM`. */
  readonly 'transfer-encoding'?: never;
  /** Not yours to give (the connection's or the framing's, which the runtime's `fetch` or its proxy sets): giving it is `ERR_INVALID_PARAM`. */
  readonly Host?: never;
  /** Not yours to give (the connection's or the framing's, which the runtime's `fetch` or its proxy sets): giving it is `ERR_INVALID_PARAM`. */
  readonly host?: never;
  /** Not yours to give (the connection's or the framing's, which the runtime's `fetch` or its proxy sets): giving it is `ERR_INVALID_PARAM`. */
  readonly Connection?: never;
  /** Not yours to give (the connection's or the framing's, which the runtime's `fetch` or its proxy sets): giving it is `ERR_INVALID_PARAM`. */
  readonly connection?: never;
  /** Not yours to give (the connection's or the framing's, which the runtime's `fetch` or its proxy sets): giving it is `ERR_INVALID_PARAM`. */
  readonly Expect?: never;
  /** Not yours to give (the connection's or the framing's, which the runtime's `fetch` or its proxy sets): giving it is `ERR_INVALID_PARAM`. */
  readonly expect?: never;
  /** Not yours to give (the connection's or the framing's, which the runtime's `fetch` or its proxy sets): giving it is `ERR_INVALID_PARAM`. */
  readonly 'Keep-Alive'?: never;
  /** Not yours to give (the connection's or the framing's, which the runtime's `fetch` or its proxy sets): giving it is `ERR_INVALID_PARAM`. */
  readonly 'keep-alive'?: never;
  /** Not yours to give (the connection's or the framing's, which the runtime's `fetch` or its proxy sets): giving it is `ERR_INVALID_PARAM`. */
  readonly Upgrade?: never;
  /** Not yours to give (the connection's or the framing's, which the runtime's `fetch` or its proxy sets): giving it is `ERR_INVALID_PARAM`. */
  readonly upgrade?: never;
  /** Not yours to give (the connection's or the framing's, which the runtime's `fetch` or its proxy sets): giving it is `ERR_INVALID_PARAM`. */
  readonly TE?: never;
  /** Not yours to give (the connection's or the framing's, which the runtime's `fetch` or its proxy sets): giving it is `ERR_INVALID_PARAM`. */
  readonly te?: never;
  /** Not yours to give (the connection's or the framing's, which the runtime's `fetch` or its proxy sets): giving it is `ERR_INVALID_PARAM`. */
  readonly Trailer?: never;
  /** Not yours to give (the connection's or the framing's, which the runtime's `fetch` or its proxy sets): giving it is `ERR_INVALID_PARAM`. */
  readonly trailer?: never;
  /** Not yours to give (the connection's or the framing's, which the runtime's `fetch` or its proxy sets): giving it is `ERR_INVALID_PARAM`. */
  readonly 'Proxy-Authorization'?: never;
  /** Not yours to give (the connection's or the framing's, which the runtime's `fetch` or its proxy sets): giving it is `ERR_INVALID_PARAM`. */
  readonly 'proxy-authorization'?: never;
  /** Not yours to give (the connection's or the framing's, which the runtime's `fetch` or its proxy sets): giving it is `ERR_INVALID_PARAM`. */
  readonly 'Proxy-Connection'?: never;
  /** Not yours to give (the connection's or the framing's, which the runtime's `fetch` or its proxy sets): giving it is `ERR_INVALID_PARAM`. */
  readonly 'proxy-connection'?: never;
}

/** Request headers: a plain object or `Headers`. */
export type HeaderMap = (Record<string, Scalar | null | undefined> & ReservedHeaders) | Headers;

/** The config keys every request understands, whatever its path. */
export interface RequestOptions<P = Params, H = HeaderMap> {
  /** The query string, e.g. `{ offset: 0, limit: 10 }`. */
  params?: P | undefined;
  /**
   * Extra request headers (`Authorization` is set for you and cannot be given; a `Content-Type` is
   * dropped: the body's type is the package's, and a request without a body sends none).
   */
  headers?: H | undefined;
  /** Aborts the request: rejects with `ERR_ABORTED`. */
  signal?: AbortSignal | undefined;
  /** Milliseconds before the request is aborted with `ERR_TIMEOUT`. */
  timeout?: number | undefined;
  /** The largest answer body accepted for this request, in bytes (default: the client's `maxBodyBytes`). */
  maxBodyBytes?: number | undefined;
  /**
   * Retries for this request: `true` for the client's count (whatever the method: order
   * creation is idempotent by `out_trade_no`, but you decide), a number, or `false`.
   */
  retry?: boolean | number | undefined;
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
  /** A body, where the API documents one on DELETE, goes as the config's `data`. */
  delete<T = unknown>(config?: RequestConfig): Promise<WxpayResponse<T>>;
  post<T = unknown>(data?: unknown | FormData, config?: RequestConfig): Promise<WxpayResponse<T>>;
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
 * path segment (`camelCase` -> `kebab-case`, `_name_`/`$name$`/`['{name}']` -> `{name}`,
 * bracket access takes raw segments or paths), the verbs send the request,
 * and `String(node)` is its path template.
 */
export type ChainNode = Verbs & NodeCoercion & { readonly [segment: string]: ChainNode };

/**
 * A raw path below a node, in brackets: `wxpay.v3['pay/transactions/new-thing']`. Only a
 * string with a `/` is one, so a misspelled dotted segment is a type error, not a node.
 */
export type RawPath = `${string}/${string}`;

/**
 * A node that an API description types (`T`, from `WeChatPay.OpenAPI`): only its
 * described verbs and children exist (a typo does not compile); a bracket path with a
 * `/` below it (`node['new/path']`) is an untyped `ChainNode`, the escape hatch for an
 * endpoint newer than the description.
 */
export type TypedNode<T> = T & NodeCoercion & { readonly [path: RawPath]: ChainNode };

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
  /**
   * Throws `WxpayError` (`ERR_INVALID_CONFIG`, `ERR_INVALID_KEY`) naming the option at fault.
   * Give `certs`, or `apiv3Key` to have the platform certificates downloaded.
   */
  constructor(options: WxpayOptions);
  /** The root of the APIv3 chain: `wxpay.v3.marketing.membercardOpen.cards._card_id_.codes._code_`. */
  readonly v3: TypedNode<WeChatPay.OpenAPI.V3>;
  /** The RSA backend tried first; under `crypto: 'auto'` an operation it fails falls through to the next. */
  readonly crypto: 'node' | 'webcrypto' | 'rust';
  /**
   * Signs `message` (a string, as UTF-8, or bytes) with the merchant key:
   * base64 RSASSA-PKCS1-v1_5 SHA-256, as JSAPI/APP payment parameters (`paySign`) need.
   */
  sign(message: string | Uint8Array): Promise<string>;
  /**
   * Whether `signature` (base64) over `message` verifies under the platform key that `serial`
   * names: one of `certs`, or, with `apiv3Key`, a downloaded certificate (a serial not known yet
   * brings a download, at most once per `certsRefreshInterval`). Rejects with
   * `ERR_INVALID_PARAM` for a serial none of them has, or with the download's error when that
   * download fails.
   */
  verify(message: string | Uint8Array, signature: string, serial: string): Promise<boolean>;
  /**
   * The parameters a JSAPI page (`WeixinJSBridge.invoke('getBrandWCPayRequest', ...)`) or a mini
   * program (`wx.requestPayment`) needs after an order returned `prepay_id`, signed with the
   * merchant key. The JS-SDK's `wx.chooseWXPay` spells one of them `timestamp` (lower case): pass
   * it `timestamp: params.timeStamp` with the others.
   * `appId` is the appid of the page or mini program that pays: for a partner's (服务商) order,
   * its `sp_appid` or its `sub_appid`.
   */
  jsapiParams(input: { appId: string; prepay_id: string }): Promise<JsapiPaymentParams>;
  /**
   * The parameters an APP passes to the WeChat SDK after an order returned `prepay_id`. `appid`
   * is the paying app's (for a partner's order, its `sp_appid` or its `sub_appid`); `partnerid`
   * is the client's `mchid` unless given.
   */
  appParams(input: { appid: string; prepay_id: string; partnerid?: string | undefined }): Promise<AppPaymentParams>;
  /**
   * Releases the Rust side now instead of at garbage collection, and ends a certificate
   * download under way (outside workerd). Any later use of this client or of its chain nodes throws or rejects
   * `ERR_CLIENT_FREED`; a second `free()` does nothing.
   */
  free(): void;
  /**
   * Called after each recovery from a trap of the WebAssembly instance (a panic, out of memory,
   * a stack overflow), once the module is re-instantiated: log or count them here. What it
   * throws is ignored. The calls that were running, of every client, failed with `ERR_INTERNAL`
   * (a request other than a `GET` may have been carried out: its message says so); every client
   * keeps working, and one given only `apiv3Key` downloads the platform certificates again.
   */
  static onRecover: ((info: WxpayRecovery) => void) | null;
}

/** `jsapiParams()`: for `wx.requestPayment` and JSAPI pages. `paySign` covers `appId\ntimeStamp\nnonceStr\npackage\n`. */
export interface JsapiPaymentParams {
  appId: string;
  /** Unix seconds, as a string. */
  timeStamp: string;
  nonceStr: string;
  /** `prepay_id=...` */
  package: string;
  signType: 'RSA';
  paySign: string;
}

/** `appParams()`: for the APP SDK. `sign` covers `appid\ntimestamp\nnoncestr\nprepayid\n`. */
export interface AppPaymentParams {
  appid: string;
  /** The merchant id (or the `partnerid` given). */
  partnerid: string;
  prepayid: string;
  package: 'Sign=WXPay';
  noncestr: string;
  timestamp: string;
  sign: string;
}
/** `using wxpay = new Wxpay(...)` frees it at the end of the scope, where the lib has `Symbol.dispose`. */
export interface Wxpay extends Disposal {}

/** What `Wxpay.onRecover` is called with. */
export interface WxpayRecovery {
  /** What the instance threw: in V8 a `WebAssembly.RuntimeError` (`unreachable` for a panic or a failed allocation). */
  cause: unknown;
  /** Recoveries so far in this module instance, this one included. */
  count: number;
}

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
  | 'ERR_NESTED_CALL'
  | 'ERR_CRYPTO'
  | 'ERR_NOTIFY_UNSIGNED'
  | 'ERR_NOTIFY_TIMESTAMP'
  | 'ERR_NOTIFY_SERIAL'
  | 'ERR_NOTIFY_SIGNATURE'
  | 'ERR_NOTIFY_DECRYPT'
  | 'ERR_NOTIFY_BODY'
  | 'ERR_INTERNAL'
  | 'ERR_DIGEST_MISMATCH'
  | 'ERR_FILE_DECODE'
  | 'ERR_CERTIFICATE_DOWNLOAD';

/** Every failure: ours (`ERR_*`, never a service's) or the service's (`PARAM_ERROR`, `SIGN_ERROR`...). */
export declare class WxpayError extends Error {
  constructor(code: string, message: string, props?: { status?: number | undefined; requestId?: string | undefined; detail?: unknown; response?: WxpayResponse | undefined; cause?: unknown });
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
  /**
   * How many attempts the request made (retries included): `0` when the request ended before its
   * first (its signal had fired, or the wait for the platform certificates ended it). Not set on
   * an error of the input (`ERR_INVALID_PARAM`, `ERR_MISSING_PARAM`, `ERR_CLIENT_FREED`...), which
   * sends nothing either.
   */
  attempts?: number;
  /** `WxpayError [CODE]: message`. */
  toString(): string;
  /**
   * What `JSON.stringify(err)` writes: `name`, `code`, `message`, and `status`, `requestId`,
   * `detail`, `attempts` when set; a `cause` that is an Error as its name and message (one of
   * ours as its own JSON, three deep at most). Not `response`.
   */
  toJSON(): { name: string; code: string; message: string; status?: number; requestId?: string; detail?: unknown; attempts?: number; cause?: unknown };
}

// ---------------------------------------------------------------------------
// Notifications and sensitive fields (issue 6). Kept in one block, merged into
// the declarations above by interface merging, so it can move as a unit.
// ---------------------------------------------------------------------------

export interface WxpayClientOptions {
  /**
   * The merchant's APIv3 key (32 characters, set in the merchant platform): decrypts
   * notifications and `decryptResource`, and lets the client download the platform
   * certificates itself (then `certs` may be left out): a request made while no platform key is
   * in effect waits for that download, and is not sent if it fails (`ERR_CERTIFICATE_DOWNLOAD`,
   * the download's error as `cause`); the chain's own `v3.certificates.get()` does not wait: its
   * answer is checked as the download's is and serves as one. Whitespace at either end (the line break of a file it was
   * read from) is left out. Wrong length or type: `ERR_INVALID_CONFIG`.
   */
  apiv3Key?: string | undefined;
  /**
   * Milliseconds from the end of a successful download of `/v3/certificates` (the first
   * included) before an unknown `Wechatpay-Serial` may bring another (default 300000: five
   * minutes); within it, such an answer is rejected without a download. After a failed download,
   * or while no platform key is in effect, 10 s, or this when shorter.
   */
  certsRefreshInterval?: number | undefined;
  /**
   * The `certs` entry sent as `Wechatpay-Serial` on requests (so the service answers with
   * that key; never on the `/v3/certificates` download) and used by `encrypt`, while it is in
   * effect. Must name an entry of `certs`. Default, and once a pinned certificate expires:
   * chosen at each use among `certs` and the downloaded certificates, the `PUB_KEY_ID_...`
   * entry if there is one, else the certificate in effect with the latest validity start.
   */
  wechatpaySerial?: string | undefined;
}

/** A platform certificate or public key the client trusts. */
export interface PlatformCertificate {
  /** The certificate serial (upper-case hex) or `PUB_KEY_ID_...`. */
  serial: string;
  /** The certificate's PEM, for downloaded certificates. */
  pem?: string;
  /** Start of validity: RFC 3339 (as the service wrote it, or from the certificate). */
  effective_time?: string;
  /** End of validity; a downloaded certificate past it is no longer used. */
  expire_time?: string;
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
  /** The kind of the resource, e.g. `transaction`, `refund`: one of `NotificationOriginalType`, or any other. */
  original_type?: NotificationOriginalType | (string & {});
}

/** A verified, decrypted notification: the envelope with `resource` decrypted. */
export interface Notification<T = Record<string, unknown>> {
  /** Unique id: WeChat Pay retries, so handle each id once. */
  id: string;
  /** RFC 3339, e.g. `2015-05-20T13:29:35+08:00`. */
  create_time: string;
  /**
   * e.g. `TRANSACTION.SUCCESS`, `REFUND.SUCCESS`, `MEMBERCARDSP.USER_CARD.CREATE`: one of
   * `NotificationEventType` (each with its pages), or any later one.
   */
  event_type: NotificationEventType | (string & {});
  /** `encrypt-resource`. */
  resource_type: string;
  /** e.g. `支付成功`: a string when present, but the service may leave it out. */
  summary?: string;
  /**
   * The decrypted JSON, in place of the encrypted resource, whose `algorithm`, `nonce`,
   * `associated_data` and `original_type` are not kept: `event_type` names the kind.
   */
  resource: T;
  [field: string]: unknown;
}

/**
 * The `data` a verb of the chain resolves to, e.g.
 * `ResponseData<Wxpay['v3']['refund']['domestic']['refunds']['post']>`.
 */
export type ResponseData<Verb extends (...args: never[]) => Promise<WxpayResponse<unknown>>> = Awaited<ReturnType<Verb>>['data'];

/**
 * The body a verb of the chain sends, `ResponseData`'s twin: the `data` a `post`, `put` or `patch`
 * takes first (a JSON body, or an upload's `FormData`), or the config's `data` of a `delete` that
 * takes one; `never` for a verb that sends none (a `GET`, a `post` whose data is `null`, a verb
 * typed `never`), `unknown` on the untyped chain. E.g.
 * `RequestData<Wxpay['v3']['applyment4sub']['applyment/']['post']>`: to build a body, or a part
 * of one, in a function of your own, typed and with its fields' docs.
 */
export type RequestData<Verb extends (...args: never[]) => Promise<WxpayResponse<unknown>>> =
  [Verb] extends [never]
    ? never
    : 2 extends Parameters<Verb>['length']
      ? NonNullable<Parameters<Verb>[0]>
      : 'data' extends keyof NonNullable<Parameters<Verb>[0]> ? NonNullable<Parameters<Verb>[0]>['data'] : never;

/**
 * An order as the order query answers it (`GET /v3/pay/transactions/id/{transaction_id}`), which is
 * also the resource of a `TRANSACTION.SUCCESS` notification:
 * `const paid = await wxpay.notifications.parse<PayTransaction>(request)`.
 */
export type PayTransaction = ResponseData<Wxpay['v3']['pay']['transactions']['id']['_transaction_id_']['get']>;

/** `PayTransaction` for a partner (服务商): the partner order query's answer, and its notification's resource. */
export type PartnerPayTransaction = ResponseData<Wxpay['v3']['pay']['partner']['transactions']['id']['_transaction_id_']['get']>;

/**
 * A combined order (合单) as its query answers it
 * (`GET /v3/combine-transactions/out-trade-no/{combine_out_trade_no}`), each sub-order with its
 * own `out_trade_no`, `trade_state`, `transaction_id` and `amount.total_amount`. A paid combined
 * order's `TRANSACTION.SUCCESS` notification carries the combined order as its resource (its
 * `combine_mchid` and `combine_out_trade_no` where an ordinary order's has `mchid` and
 * `out_trade_no`): `notifications.parse<CombineNotification>(request)`.
 */
export type CombineTransaction = ResponseData<Wxpay['v3']['combineTransactions']['outTradeNo']['_combine_out_trade_no_']['get']>;

/**
 * The resource of a combined order's `TRANSACTION.SUCCESS` notification: `CombineTransaction`,
 * with `combine_transaction_id` optional (the query requires it; what the notification carries of
 * it is not in the corpus).
 */
export type CombineNotification = Omit<CombineTransaction, 'combine_transaction_id'> & { combine_transaction_id?: string };

/**
 * A 微信支付分 service order as its query answers it (`GET /v3/payscore/serviceorder`), which is
 * also the resource of its `PAYSCORE.USER_CONFIRM` (the payer confirmed: DOING) and
 * `PAYSCORE.USER_PAID` (collected: DONE, `collection.state` USER_PAID) notifications:
 * `notifications.parse<PayscoreServiceOrder>(request)`.
 */
export type PayscoreServiceOrder = ResponseData<Wxpay['v3']['payscore']['serviceorder']['get']>;

/**
 * A 代金券 (favor coupon) as its query answers it
 * (`GET /v3/marketing/favor/users/{openid}/coupons/{coupon_id}`), with `consume_information` once it
 * is used; a used coupon's `COUPON.USE` notification (核销事件) carries the coupon in this shape:
 * `notifications.parse<FavorCoupon>(request)`.
 */
export type FavorCoupon = ResponseData<Wxpay['v3']['marketing']['favor']['users']['_openid_']['coupons']['_coupon_id_']['get']>;

/**
 * The resource of a complaint's notification (消费者投诉2.0: `COMPLAINT.CREATE`, a new complaint;
 * `COMPLAINT.STATE_CHANGE`, a change): it names only the complaint and what happened. Read the
 * complaint itself (`v3.merchantService.complaintsV2._complaint_id_.get`) for the rest:
 * `notifications.parse<ComplaintNotification>(request)`.
 */
export interface ComplaintNotification {
  /** 投诉单号 */
  complaint_id: string;
  /** 动作类型 */
  action_type:
    | 'CREATE_COMPLAINT' | 'CONTINUE_COMPLAINT' | 'USER_RESPONSE' | 'RESPONSE_BY_PLATFORM' | 'SELLER_REFUND'
    | 'MERCHANT_RESPONSE' | 'MERCHANT_CONFIRM_COMPLETE' | 'USER_APPLY_PLATFORM_SERVICE' | 'USER_CANCEL_PLATFORM_SERVICE'
    | 'PLATFORM_SERVICE_FINISHED' | 'MERCHANT_APPROVE_REFUND' | 'MERCHANT_REJECT_REFUND' | 'REFUND_SUCCESS'
    | (string & {});
}

/** The amounts of a refund's notification, in fen (分). */
export interface RefundNotificationAmount {
  /** The order's total. */
  total: number;
  /** The refund's total. */
  refund: number;
  /** What the payer paid. */
  payer_total: number;
  /** What goes back to the payer. */
  payer_refund: number;
}

/**
 * The resource of a refund's notification (`REFUND.SUCCESS`, `REFUND.ABNORMAL`, `REFUND.CLOSED`)
 * for a direct merchant: `notifications.parse<RefundNotification>(request)`. A refund's notification
 * carries less than the refund query's answer: query `v3.refund.domestic.refunds._out_refund_no_`
 * for the rest.
 */
export interface RefundNotification {
  /** The merchant id. */
  mchid: string;
  out_trade_no: string;
  transaction_id: string;
  out_refund_no: string;
  refund_id: string;
  /** 退款状态: `SUCCESS` 退款成功; `CLOSED` 退款关闭; `ABNORMAL` 退款异常 */
  refund_status: 'SUCCESS' | 'CLOSED' | 'ABNORMAL' | (string & {});
  /** RFC 3339; present once the refund has succeeded. */
  success_time?: string;
  /** The account the refund went to, as text (a card, or the payer's balance). */
  user_received_account: string;
  amount: RefundNotificationAmount;
}

/** `RefundNotification` for a partner (服务商): `sp_mchid` and `sub_mchid` in place of `mchid`. */
export interface PartnerRefundNotification extends Omit<RefundNotification, 'mchid'> {
  sp_mchid: string;
  sub_mchid: string;
}

/**
 * The resource of a payout's notification (`MCHTRANSFER.BILL.FINISHED`, 商家转账 in the user's
 * confirmation mode): the bill has ended, `SUCCESS`, `FAIL` (with `fail_reason`) or `CANCELLED`.
 * `notifications.parse<TransferBillNotification>(request)`. The fields the bill query
 * (`v3.fundApp.mchTransfer.transferBills.outBillNo._out_bill_no_`) answers and the notification
 * also carries, and the merchant id under either of the two names public sources give it (the
 * query answers `mch_id`; examples of the notification show `mchid`): check the one present is
 * yours, `(resource.mch_id ?? resource.mchid) === mchid`.
 */
export type TransferBillNotification = Pick<
  ResponseData<Wxpay['v3']['fundApp']['mchTransfer']['transferBills']['outBillNo']['_out_bill_no_']['get']>,
  'out_bill_no' | 'transfer_bill_no' | 'state' | 'transfer_amount' | 'openid' | 'fail_reason' | 'create_time' | 'update_time'
> & {
  /** 商户号, as the bill query names it. */
  mch_id?: string;
  /** 商户号, as some examples of the notification name it. */
  mchid?: string;
};

/** The share one receiver got, or gave back, in a profit-sharing notification; `amount` in fen (分). */
export interface ProfitSharingNotificationReceiver {
  /** 分账接收方类型: `MERCHANT_ID`, `PERSONAL_OPENID`, `PERSONAL_SUB_OPENID`. */
  type: 'MERCHANT_ID' | 'PERSONAL_OPENID' | 'PERSONAL_SUB_OPENID' | (string & {});
  /** 分账接收方账号: a merchant id or an openid. */
  account: string;
  /** 分账动账金额 */
  amount: number;
  /** 分账/回退描述 */
  description: string;
}

/**
 * The resource of a profit-sharing notification (分账动账通知: `event_type` `PROFITSHARING`, a
 * share paid to a receiver, or `PROFITSHARING_RETURN`, one given back) for a direct merchant:
 * `notifications.parse<ProfitSharingNotification>(request)`. It names one receiver's movement;
 * query the order (`v3.profitsharing.orders._out_order_no_`) for the rest.
 */
export interface ProfitSharingNotification {
  /** The merchant id. */
  mchid: string;
  /** 微信订单号 */
  transaction_id: string;
  /** 微信分账/回退单号 */
  order_id: string;
  /** 商户分账/回退单号 */
  out_order_no: string;
  receiver: ProfitSharingNotificationReceiver;
  /** RFC 3339. */
  success_time: string;
}

/** `ProfitSharingNotification` for a partner (服务商): `sp_mchid` and `sub_mchid` in place of `mchid`. */
export interface PartnerProfitSharingNotification extends Omit<ProfitSharingNotification, 'mchid'> {
  sp_mchid: string;
  sub_mchid: string;
}

/**
 * Node's request (`req` of `node:http`, and of Express or Koa, whose `req` is one), its body not
 * read yet: `parse` reads it (within 1 MiB) from its `data` events.
 */
export interface NodeRequestInput {
  headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  on(event: 'data' | 'end' | 'error' | 'close', listener: (...args: unknown[]) => void): unknown;
  removeListener(event: 'data' | 'end' | 'error' | 'close', listener: (...args: unknown[]) => void): unknown;
  resume(): unknown;
}

/** What `notifications.parse` reads: a fetch `Request`, Node's request itself, or headers and the raw body. */
export type NotificationInput =
  | Request
  | NodeRequestInput
  | {
      /**
       * `Headers`; a plain object (Node's `req.headers`, a serverless event's `headers` or
       * `multiValueHeaders`) or `Map` with names in any case; or an array of `[name, value]`
       * pairs, or of names and values (Node's `req.rawHeaders`). Read-only forms too, but for the
       * `Map` (names are matched in any case in a native `Map` only).
       */
      headers:
        | Headers
        | Readonly<Record<string, string | readonly string[] | undefined>>
        | Map<string, string | readonly string[]>
        | readonly (readonly [string, string])[]
        | readonly string[];
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
   * of none of these shapes, a body over 1 MiB, or Node's request whose body was read already or
   * whose client went away before it ended.
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
  /**
   * The serial or `PUB_KEY_ID_...` sent as `Wechatpay-Serial` and used by `encrypt`, chosen
   * at each use among `certs` and the downloaded certificates: the pinned `wechatpaySerial`
   * while in effect, else `PUB_KEY_ID_...`, else the newest certificate in effect;
   * `undefined` before a client without `certs` has downloaded any, and, with `apiv3Key`, while
   * every key known has expired (none is sent then; a request downloads first).
   */
  readonly wechatpaySerial: string | undefined;
  /**
   * The platform certificates in use, configured ones first. With `apiv3Key`, downloads
   * `/v3/certificates` first if nothing was downloaded yet, and rejects with that download's
   * error if it failed (even with `certs` configured).
   */
  certificates(): Promise<PlatformCertificate[]>;
  /**
   * Base64 RSAES-OAEP (SHA-1, MGF1-SHA-1) of the UTF-8 `text` under the `wechatpaySerial` key. A
   * request whose body carries it (one of the last 4,096) is sent naming that key's certificate.
   */
  encrypt(text: string): Promise<string>;
  /** The text a base64 RSAES-OAEP (SHA-1) ciphertext decrypts to under the merchant key. */
  decrypt(ciphertext: string): Promise<string>;
  /**
   * The UTF-8 text of an `AEAD_AES_256_GCM` resource, e.g. `/v3/certificates`' `encrypt_certificate`
   * as the answer gives it. Its fields are optional here, as in the descriptions of the answers
   * that carry one; a `ciphertext` or `nonce` that is not a string rejects `ERR_INVALID_PARAM`.
   */
  decryptResource(resource: { [K in keyof EncryptedResource]?: EncryptedResource[K] | undefined }): Promise<string>;
}

// ---------------------------------------------------------------------------
// Files: uploads, downloads, bills (issue 13).
// ---------------------------------------------------------------------------

/** The answer data of a bill or receipt request: where the file is and its digest. */
export interface DownloadData {
  /**
   * Under this client's `baseURL` (or `backupBaseURL`), or on `https://api.mch.weixin.qq.com/`,
   * where the service names its files: that path is then asked of this client's hosts.
   */
  download_url: string;
  /** `SHA1` (bills), `SHA256` or `SM3` (receipts). */
  hash_type: string;
  /** Hex digest of the file (of the bill itself, decompressed, for a GZIP bill). */
  hash_value: string;
}

/**
 * The answer data of a receipt request (e.g. `v3/transfer/bill-receipt/{out_batch_no}`), whose
 * file fields the service leaves out until the receipt is made: `download` of one without them
 * rejects `ERR_INVALID_PARAM` (no file named).
 */
export interface ReceiptData {
  download_url?: string;
  hash_type?: string;
  hash_value?: string;
}

/**
 * The answer data of a 代金券 batch's flow files (`v3/marketing/favor/stocks/{stock_id}/use-flow`,
 * `refund-flow`), which name their link `url`.
 */
export interface FlowFileData {
  url: string;
  hash_type: string;
  hash_value: string;
}

/** What `download` takes: a bill's answer data, an encrypted bill's, a receipt's, or a flow file's. */
export type Downloadable = DownloadData | EncryptedBillData | ReceiptData | FlowFileData;

/** `DownloadData` for an object with no fields at all (it names no file), else no constraint. */
export type NamesAFile<D> = {} extends Required<D> ? DownloadData : unknown;

/** One encrypted part of a bill (`EncryptedBillData`). */
export interface EncryptedBillPart extends DownloadData {
  bill_sequence: number;
  encrypt_key: string;
  nonce: string;
}

/**
 * The answer data of `v3/bill/sub-merchant-fundflowbill`: encrypted parts. The service documents
 * `download_bill_count` as required and `download_bill_list` as optional, so either one types
 * (an empty object does not); `download` of an answer without the list (no file named) rejects
 * `ERR_INVALID_PARAM`.
 */
export type EncryptedBillData =
  | { download_bill_count: number; download_bill_list?: EncryptedBillPart[] }
  | { download_bill_count?: number; download_bill_list: EncryptedBillPart[] };

export interface DownloadOptions {
  /** Resolve a `ReadableStream` instead of the bytes; it errors with `ERR_DIGEST_MISMATCH` at its end on a mismatch. */
  stream?: boolean | undefined;
  signal?: AbortSignal | undefined;
  timeout?: number | undefined;
  /**
   * The largest file accepted when not streamed (default: the client's `maxBodyBytes`); for an
   * encrypted bill, held whole, all its parts together, streamed or not.
   */
  maxBodyBytes?: number | undefined;
}

/**
 * The bytes the package hands out (a file's `download`, its stream's chunks, a verb's `data` of
 * a file): a `Uint8Array` over an `ArrayBuffer`, never a `SharedArrayBuffer` (a chunk of a caller's
 * `fetch` may be a view into a larger one, as Node's `Buffer`s are). Under
 * TypeScript 5.7 and later that is `Uint8Array<ArrayBuffer>`, which `new Response(bytes)`, a
 * `Blob` or `crypto.subtle.digest` take where a bare `Uint8Array` is refused; under earlier
 * versions, `Uint8Array` (written as `slice`'s result, which is either).
 */
export type WxpayBytes = ReturnType<Uint8Array['slice']>;

export interface Wxpay {
  /**
   * Fetches the file a bill or receipt answer points to, signed, from this client's hosts only
   * (see `DownloadData.download_url`; elsewhere: `ERR_INVALID_PARAM`); gunzips a GZIP bill, decrypts encrypted parts, checks the
   * digest (`ERR_DIGEST_MISMATCH`) and resolves the bytes.
   */
  download<D extends Downloadable>(data: D & NamesAFile<D>, options?: DownloadOptions & { stream?: false | undefined }): Promise<WxpayBytes>;
  download<D extends Downloadable>(data: D & NamesAFile<D>, options: DownloadOptions & { stream: true }): Promise<ReadableStream<WxpayBytes>>;
  /** `stream` known only at run time: the bytes or a stream, as it says. */
  download<D extends Downloadable>(data: D & NamesAFile<D>, options: DownloadOptions): Promise<WxpayBytes | ReadableStream<WxpayBytes>>;
}

/** A record of a trade bill (`v3/bill/tradebill`), keyed by the bill's own header. */
export interface TradeBillRow {
  交易时间: string; 公众账号ID: string; 商户号: string; 特约商户号?: string; 设备号: string; 微信订单号: string;
  商户订单号: string; 用户标识: string; 交易类型: string; 交易状态: string; 付款银行: string; 货币种类: string;
  应结订单金额: string; 代金券金额: string; 微信退款单号: string; 商户退款单号: string; 退款金额: string;
  充值券退款金额: string; 退款类型: string; 退款状态: string; 商品名称: string; 商户数据包: string; 手续费: string;
  费率: string; 订单金额?: string; 申请退款金额?: string; 费率备注?: string;
  [column: string]: string | undefined;
}

/** The summary of a trade bill. */
export interface TradeBillSummary {
  总交易单数: string; 应结订单总金额: string; 退款总金额: string; 充值券退款总金额: string; 手续费总金额: string;
  订单总金额?: string; 申请退款总金额?: string;
  [column: string]: string | undefined;
}

/** A record of a fund-flow bill (`v3/bill/fundflowbill`, `v3/bill/sub-merchant-fundflowbill`). */
export interface FundFlowBillRow {
  记账时间: string; 微信支付业务单号: string; 资金流水单号: string; 业务名称: string; 业务类型: string; 收支类型: string;
  '收支金额（元）': string; '账户结余（元）': string; 资金变更提交申请人: string; 备注: string; 业务凭证号: string;
  [column: string]: string | undefined;
}

/** The summary of a fund-flow bill. */
export interface FundFlowBillSummary {
  资金流水总笔数: string; 收入笔数: string; 收入金额: string; 支出笔数: string; 支出金额: string;
  [column: string]: string | undefined;
}

/** A bill read by `parseBill`: every value a string, its backtick and trailing whitespace removed. */
export interface ParsedBill<Row = Record<string, string>, Summary = Record<string, string>> {
  rows: Row[];
  summary: Summary;
}

/**
 * Reads a trade or fund-flow bill (its text or UTF-8 bytes) into rows keyed by the header and
 * the summary: `parseBill<TradeBillRow, TradeBillSummary>(text)`. `ERR_INVALID_PARAM` for a
 * line that does not fit its header, or a text that ends without its summary (cut short, or no bill).
 */
export declare function parseBill<Row = Record<string, string>, Summary = Record<string, string>>(text: string | Uint8Array | ArrayBuffer): ParsedBill<Row, Summary>;

/** A bill read as it streams: iterate its rows, then read `summary`. */
export interface BillStream<Row = Record<string, string>, Summary = Record<string, string>> extends AsyncIterable<Row> {
  /** The totals, set once every row was read and the summary found (a bill without one fails). */
  summary: Summary | undefined;
}

/**
 * Reads a bill as it streams in (e.g. `wxpay.download(data, { stream: true })`), one row at a
 * time: `for await (const row of bill) ...`, then `bill.summary`. As with `parseBill`, a bill
 * that is not UTF-8, a line that does not fit its header, or a bill that ends without its summary
 * fails `ERR_INVALID_PARAM`. Rows come before the download's digest is checked, at the end.
 */
export declare function readBill<Row = Record<string, string>, Summary = Record<string, string>>(
  source: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>,
): BillStream<Row, Summary>;

/**
 * The FormData of an upload from bytes (or a Blob): the file under `field` (default `file`),
 * `meta` sent as written (else `{"filename","sha256"}` is computed), `fields` as text fields,
 * `type` the file's media type (a Blob keeps its own unless `type` is given).
 */
export declare function uploadForm(
  file: Uint8Array | ArrayBuffer | Blob,
  filename: string,
  options?: { field?: string | undefined; meta?: string | object | undefined; fields?: Record<string, string | number> | undefined; type?: string | undefined },
): FormData;

/**
 * What every `payscoreParams` input holds: the merchant (a partner's own merchant id, for its
 * sub-merchants' orders too) and its APIv2 key (API密钥, not the APIv3 key).
 */
export interface PayscoreInputBase {
  /** The merchant id, sent as `mch_id`: 1-32 digits. */
  mchid: string;
  /** The merchant's APIv2 key: 32 printable ASCII characters. Never sent; it keys the HMAC. */
  apiv2Key: string;
}

/** `payscoreParams` input for an order the payer confirms (`wxpayScoreUse`). */
export interface PayscoreUseInput extends PayscoreInputBase {
  /** What 创建支付分订单 answered: 1-1024 printable ASCII characters but `&`. */
  package: string;
  service_id?: never;
  out_order_no?: never;
}

/** `payscoreParams` input for an order's details (`wxpayScoreDetail`). */
export interface PayscoreDetailInput extends PayscoreInputBase {
  package?: never;
  /** 1-32 printable ASCII characters but `&`. */
  service_id: string;
  /** 1-32 of 0-9 A-Z a-z _ - | *. */
  out_order_no: string;
}

/** The `extraData` every `payscoreParams` answer holds. */
export interface PayscoreExtraData {
  mch_id: string;
  /** Seconds since the epoch, as text. */
  timestamp: string;
  /** 32 characters of 0-9 A-Z a-z. */
  nonce_str: string;
  sign_type: 'HMAC-SHA256';
  /** `signV2` of the other fields under the APIv2 key: upper-case hex. */
  sign: string;
}

/** `payscoreParams` for an order the payer confirms. */
export interface PayscoreUseParams {
  businessType: 'wxpayScoreUse';
  /** For a mini program's `wx.openBusinessView`. */
  extraData: PayscoreExtraData & { package: string };
  /** The same fields as `k=v&...`, each value URL-encoded: a web page's `wx.invoke('openBusinessView', ...)`, an app's `WXOpenBusinessView.Req`. */
  queryString: string;
}

/** `payscoreParams` for an order's details. */
export interface PayscoreDetailParams {
  businessType: 'wxpayScoreDetail';
  /** For a mini program's `wx.openBusinessView`. */
  extraData: PayscoreExtraData & { service_id: string; out_order_no: string };
  /** The same fields as `k=v&...`, each value URL-encoded: a web page's `wx.invoke('openBusinessView', ...)`, an app's `WXOpenBusinessView.Req`. */
  queryString: string;
}

/**
 * The parameters of the mini program's `wx.openBusinessView` for 微信支付分 (Pay Score's own mini
 * program): with `package` (what the service order's creation answered), the order for the payer
 * to confirm (`wxpayScoreUse`); with `service_id` and `out_order_no`, the order's details
 * (`wxpayScoreDetail`). Signed by the APIv2 rule (`signV2`). Rejects `ERR_INVALID_PARAM` for input
 * that is neither, not of those shapes, or with an input key it does not take (never quoting the APIv2 key or a value), `ERR_CRYPTO` if the
 * runtime's HMAC or its `crypto.getRandomValues` (the `nonce_str`) fails.
 */
export declare function payscoreParams(input: PayscoreUseInput): Promise<PayscoreUseParams>;
export declare function payscoreParams(input: PayscoreDetailInput): Promise<PayscoreDetailParams>;
export declare function payscoreParams(input: PayscoreUseInput | PayscoreDetailInput): Promise<PayscoreUseParams | PayscoreDetailParams>;

/**
 * The APIv2 signature of `fields` under the merchant's APIv2 key, as front-end calls that still
 * use it take it (微信支付分's `sign`): HMAC-SHA256 over the non-empty fields but `sign`, sorted by
 * name, `k=v` joined by `&` (values as they are, not encoded), then `&key=<apiv2Key>`; upper-case
 * hex. Names: 1-64 of A-Z a-z 0-9 _. Values: strings or safe integers (`''`, `null` and
 * `undefined` are left out). Rejects `ERR_INVALID_PARAM` for other input, `ERR_CRYPTO` if the
 * runtime's HMAC fails.
 */
export declare function signV2<T extends { [K in keyof T]: string | number | null | undefined }>(fields: T, apiv2Key: string): Promise<string>;

/** `wxpay.notifications.success()`, for handlers without a client. */
export declare function notifySuccess(): Response;
/** `wxpay.notifications.failure(message, status)`, for handlers without a client. */
export declare function notifyFailure(message?: string | Error, status?: number): Response;
// Only what is exported is public; the helper types stay private.
export {};
