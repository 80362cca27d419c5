//! `wxpay.v3.marketing.membercardOpen...`: chain nodes built on `Proxy`.
//!
//! Each node is a `Proxy` of an empty object whose `get` trap is one shared
//! Rust closure bound to the node's data `[template, cache]`. Children,
//! verbs and the coercion functions are created once per node and cached,
//! so `wxpay.v3.a === wxpay.v3.a`. All node state lives in JS objects:
//! the garbage collector reclaims nodes, and nothing in Rust points back
//! into them.
//!
//! What a node answers, by property:
//! - `get` `post` `put` `patch` `delete`: the verbs, which send requests.
//! - `then`: `undefined`, so `await node` settles to the node itself.
//! - `toString`, `toJSON`, `Symbol.toPrimitive`: return the path template,
//!   so `String(node)` and `JSON.stringify(node)` send nothing.
//! - `Object.prototype` names and other symbols: what a plain object has.
//! - any other string: the child node for that segment.

use std::rc::Weak;

use js_sys::{Array, Map, Object, Proxy, Reflect, Symbol};
use wasm_bindgen::prelude::*;

use super::client::Client;
use super::js::Callable;
use super::send;
use crate::path;
use crate::request::Method;

/// The functions every node of one client shares.
struct Shared {
    trap: Callable,
    verb: Callable,
}

const OBJECT_PROTOTYPE_NAMES: [&str; 11] = [
    "constructor",
    "hasOwnProperty",
    "isPrototypeOf",
    "propertyIsEnumerable",
    "toLocaleString",
    "valueOf",
    "__proto__",
    "__defineGetter__",
    "__defineSetter__",
    "__lookupGetter__",
    "__lookupSetter__",
];

/// The root node (`wxpay.v3`) of a client.
pub fn root(client: Weak<Client>, template: &str) -> JsValue {
    let verb = Closure::<dyn Fn(JsValue, u32, Array, JsValue, JsValue) -> js_sys::Promise>::new(
        move |template: JsValue, method: u32, names: Array, a: JsValue, b: JsValue| {
            let method = Method::ALL.get(method as usize).copied().unwrap_or(Method::Get);
            send::start(&client, template, method, names, a, b)
        },
    );
    let trap = Closure::<dyn Fn(JsValue, JsValue, JsValue, JsValue) -> JsValue>::new(get_trap);
    // The JS functions own the closures; they live as long as some node does.
    let shared = Shared { trap: trap.into_js_value().unchecked_into(), verb: verb.into_js_value().unchecked_into() };
    node(&shared.trap, &shared.verb, template)
}

/// A new node: `data = [template, cache, trap, verb]`.
fn node(trap: &Callable, verb: &Callable, template: &str) -> JsValue {
    let data = Array::of4(&JsValue::from_str(template), &Map::new(), trap, verb);
    let handler = Object::new();
    let _ = Reflect::set(&handler, &"get".into(), &trap.bind1(&JsValue::UNDEFINED, &data));
    Proxy::new(&Object::new(), &handler).into()
}

/// A function that returns the template whatever it is called with:
/// `String.bind(undefined, template)`.
fn describer(template: &JsValue) -> JsValue {
    let string_ctor: Callable = Reflect::get(&js_sys::global(), &"String".into())
        .unwrap_or(JsValue::UNDEFINED)
        .unchecked_into();
    string_ctor.bind1(&JsValue::UNDEFINED, template).into()
}

/// The `get` trap: `(data, target, prop, receiver) -> value`.
fn get_trap(data: JsValue, target: JsValue, prop: JsValue, _receiver: JsValue) -> JsValue {
    let data: Array = data.unchecked_into();
    let cache: Map = data.get(1).unchecked_into();
    let hit = cache.get(&prop);
    if !hit.is_undefined() {
        return hit;
    }
    let template = data.get(0);
    let value = match prop.as_string() {
        Some(name) => match name.as_str() {
            "then" => return JsValue::UNDEFINED,
            "toString" | "toJSON" => describer(&template),
            n if OBJECT_PROTOTYPE_NAMES.contains(&n) => return Reflect::get(&target, &prop).unwrap_or_default(),
            n => match Method::from_verb(n) {
                Some(m) => {
                    let index = Method::ALL.iter().position(|x| *x == m).unwrap_or(0) as u32;
                    let verb: Callable = data.get(3).unchecked_into();
                    // The template's placeholder names, which every request's
                    // config is read against: made once per verb, not per request.
                    let names = Array::new();
                    for n in path::placeholders(&template.as_string().unwrap_or_default()) {
                        names.push(&JsValue::from_str(n));
                    }
                    verb.bind3(&JsValue::UNDEFINED, &template, &JsValue::from(index), &names).into()
                }
                None => {
                    let child = path::child(&template.as_string().unwrap_or_default(), n);
                    node(&data.get(2).unchecked_into(), &data.get(3).unchecked_into(), &child)
                }
            },
        },
        None if prop == JsValue::from(Symbol::to_primitive()) => describer(&template),
        None => return Reflect::get(&target, &prop).unwrap_or_default(),
    };
    // Only what can repeat is cached, and only so much: segments written in
    // code are few, while raw ids (`outTradeNo[id]`) are endless.
    if cache.size() < CACHE_LIMIT {
        cache.set(&prop, &value);
    }
    value
}

/// The most properties one node caches (verbs, coercions, children).
const CACHE_LIMIT: u32 = 64;
