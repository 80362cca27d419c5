// Entry of the CommonJS bundle (scripts/build-pkg.sh): the glue and the error class, from pkg/.
export * from '../pkg/wxpay_wasm.js';
export { WxpayError } from '../pkg/error.js';
export { uploadForm } from '../pkg/upload.js';
export { readBill } from '../pkg/bill.js';
