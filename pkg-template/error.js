/**
 * Every failure of wxpay-wasm, and every error answer of WeChat Pay, is a
 * `WxpayError`. `code` is stable: ours start with `ERR_`; the service's
 * (`PARAM_ERROR`, `SIGN_ERROR`...) are passed through as they come.
 */
export class WxpayError extends Error {
  /**
   * @param {string} code
   * @param {string} message
   * @param {{ status?: number, requestId?: string, detail?: unknown, response?: unknown, cause?: unknown }} [props]
   */
  constructor(code, message, props) {
    super(message, props && 'cause' in props ? { cause: props.cause } : undefined);
    this.code = code;
    if (props) {
      if (props.status !== undefined) this.status = props.status;
      if (props.requestId !== undefined) this.requestId = props.requestId;
      if (props.detail !== undefined) this.detail = props.detail;
      if (props.response !== undefined) this.response = props.response;
    }
  }
}
Object.defineProperty(WxpayError.prototype, 'name', { value: 'WxpayError', writable: true, configurable: true });
