/**
 * Every failure of wxpay-wasm, and every error answer of WeChat Pay, is a
 * `WxpayError`. `code` is stable: ours start with `ERR_`; the service's
 * (`PARAM_ERROR`, `SIGN_ERROR`...) are passed through as they come.
 */
// The ESM entry and the CommonJS bundle each carry a copy of this class; a process that loads
// both (an ESM app with a `require`-ing dependency) must still see one error type. Instances are
// branded with a registry symbol, which `instanceof` checks across copies.
const BRAND = Symbol.for('wxpay-wasm.WxpayError');

export class WxpayError extends Error {
  /**
   * @param {string} code
   * @param {string} message
   * @param {{ status?: number, requestId?: string, detail?: unknown, response?: unknown, cause?: unknown }} [props]
   */
  constructor(code, message, props) {
    super(message, props && 'cause' in props ? { cause: props.cause } : undefined);
    Object.defineProperty(this, BRAND, { value: true });
    this.code = code;
    if (props) {
      if (props.status !== undefined) this.status = props.status;
      if (props.requestId !== undefined) this.requestId = props.requestId;
      if (props.detail !== undefined) this.detail = props.detail;
      if (props.response !== undefined) this.response = props.response;
    }
  }
}
Object.defineProperty(WxpayError, Symbol.hasInstance, {
  value(value) {
    // A subclass keeps the ordinary prototype check.
    if (this !== WxpayError) return Function.prototype[Symbol.hasInstance].call(this, value);
    try {
      return (typeof value === 'object' || typeof value === 'function') && value !== null && value[BRAND] === true;
    } catch {
      return false; // a Proxy whose get trap throws is not ours
    }
  },
});
Object.defineProperty(WxpayError.prototype, 'name', { value: 'WxpayError', writable: true, configurable: true });
