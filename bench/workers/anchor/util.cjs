// node:util for the anchor, with `debuglog` as Node's is when NODE_DEBUG does not name the
// section: a function that does nothing. workerd's `debuglog` prints every call, and the anchor
// logs three times a request (the URL and its headers among them, formatted with `%o`), which
// would charge it for work it never does under Node. CommonJS, as the anchor `require`s it.
const util = require('node:util');

const off = Object.assign(() => {}, { enabled: false });
module.exports = { ...util, debuglog: () => off };
