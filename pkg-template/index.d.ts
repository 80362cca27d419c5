/**
 * wxpay-wasm: a WeChat Pay APIv3 client in Rust/WebAssembly.
 * Every request is signed, every answer verified, before you see it.
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
  /** Default timeout of each request, in milliseconds. */
  timeout?: number;
}

/** What every request resolves to. */
export interface WxpayResponse<T = unknown> {
  status: number;
  statusText: string;
  /** Answer headers, names in lower case. */
  headers: Record<string, string>;
  /** Parsed JSON; `''` for an empty body (204); text or bytes for other content types. */
  data: T;
}

/** Scalars accepted for placeholders, query parameters and headers. */
export type Scalar = string | number | bigint | boolean;

/** The second argument of every verb. */
export interface RequestConfig {
  /** The query string, e.g. `{ offset: 0, limit: 10 }`. */
  params?: Record<string, Scalar | Scalar[] | null | undefined> | URLSearchParams;
  /** Extra request headers (`Authorization` is set for you and cannot be given). */
  headers?: Record<string, string> | Headers;
  /** Aborts the request: rejects with `ERR_ABORTED`. */
  signal?: AbortSignal;
  /** Milliseconds before the request is aborted with `ERR_TIMEOUT`. */
  timeout?: number;
  /** Values of the path placeholders, by name: `{ card_id, code }`. */
  [placeholder: string]: unknown;
}

/** The verbs of a chain node. */
export interface Verbs {
  get<T = unknown>(config?: RequestConfig): Promise<WxpayResponse<T>>;
  delete<T = unknown>(config?: RequestConfig): Promise<WxpayResponse<T>>;
  post<T = unknown>(data?: unknown, config?: RequestConfig): Promise<WxpayResponse<T>>;
  put<T = unknown>(data?: unknown, config?: RequestConfig): Promise<WxpayResponse<T>>;
  patch<T = unknown>(data?: unknown, config?: RequestConfig): Promise<WxpayResponse<T>>;
}

/**
 * A node of the chain: every property is a path segment (`camelCase` ->
 * `kebab-case`, `_name_` -> `{name}`), and the verbs send the request.
 * `String(node)` is its path template.
 */
export type ChainNode = Verbs & { readonly [segment: string]: ChainNode };

/** A WeChat Pay APIv3 client. */
export declare class Wxpay {
  /** Throws `WxpayError` (`ERR_INVALID_CONFIG`, `ERR_INVALID_KEY`) naming the option at fault. */
  constructor(options: WxpayOptions);
  /** The root of the APIv3 chain. */
  readonly v3: ChainNode;
  /** Releases the Rust side now instead of at garbage collection. */
  free(): void;
  [Symbol.dispose](): void;
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
  | 'ERR_HTTP_STATUS'
  | 'ERR_CRYPTO';

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
