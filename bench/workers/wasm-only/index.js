// Cold start, the .wasm alone: imported as a module (workerd compiles it when it loads the
// Worker) and never instantiated; what the package's load costs beyond this is instantiation
// and its JavaScript. Only /ping.
import module from '../../../node_modules/wxpay-wasm/wxpay_wasm_bg.wasm';

export default {
  async fetch() {
    return new Response(module instanceof WebAssembly.Module ? 'ok' : 'no module');
  },
};
