// The hand-written class declaration covers every member wasm-bindgen
// generates for the Rust `Wxpay` (src/wasm/client.rs): a method added there
// fails this test until index.d.ts declares it. The package exports the JS
// class of pkg-template/wxpay.js, which forwards to the Rust one; that it
// forwards every member is checked at run time (tests/node/lifecycle.test.mjs).
// (`v3` is the JS class's own: its chain calls the Rust `request`.)
// Only in tsconfig.bundler.json, whose lib has the Symbol.dispose the
// generated file uses.
import type { Wxpay } from 'wxpay-wasm';
// wasm-bindgen's declarations of the glue, as the build made them (not shipped: they describe the
// glue's internals, which the package's exports keep out of reach).
import type { Wxpay as Generated } from '../../target/wasm-pack/wxpay_wasm.js';
import type { Equal, Expect } from './equal.cjs';

// `request` is the chain's entry (pkg-template/wxpay.js), offered as `v3` instead.
type _undeclared = Expect<Equal<Exclude<keyof Generated, keyof Wxpay | 'request'>, never>>;
type _request = Expect<Equal<Extract<keyof Generated, 'request'>, 'request'>>;
// The generated constructor takes, after the options, the AbortSignal wxpay.js fires on free().
type _constructor = Expect<Equal<ConstructorParameters<typeof Generated>['length'], 2>>;
type _options = Expect<Equal<ConstructorParameters<typeof Wxpay>['length'], 1>>;
type _sign = Expect<Equal<Parameters<Generated['sign']>['length'], Parameters<Wxpay['sign']>['length']>>;
type _verify = Expect<Equal<Parameters<Generated['verify']>['length'], Parameters<Wxpay['verify']>['length']>>;
export {};
