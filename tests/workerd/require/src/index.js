// README (Runtimes): a Worker's require('wxpay-wasm') loads the Node entry, which cannot read
// the .wasm there; what it throws says to use import.
let loaded;
try {
  loaded = { exports: Object.keys(require('wxpay-wasm')) };
} catch (e) {
  loaded = { error: e.message };
}

export default {
  async fetch() {
    return Response.json(loaded);
  },
};
