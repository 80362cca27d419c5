//! JSON: a notification body's envelope is read exactly as `serde_json`
//! reads it (accepted by one iff by the other, same field values), and a
//! failure answer's body is JSON that says what it was given.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use wxpay_wasm::notify;

fn depth(v: &Value) -> usize {
    match v {
        Value::Array(a) => 1 + a.iter().map(depth).max().unwrap_or(0),
        Value::Object(o) => 1 + o.values().map(depth).max().unwrap_or(0),
        _ => 0,
    }
}

fn string<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key)?.as_str()
}

/// The envelope as `serde_json` reads it (`summary` aside), if the body has every required field.
fn reference(v: &Value) -> Option<[&str; 7]> {
    let r = v.get("resource").filter(|r| r.is_object())?;
    // `summary` may be left out, but is a string when there.
    if v.get("summary").is_some_and(|s| !s.is_string()) {
        return None;
    }
    let optional = |k: &str| match r.get(k) {
        None | Some(Value::Null) => Some(""),
        Some(Value::String(s)) => Some(s.as_str()),
        Some(_) => None,
    };
    optional("original_type")?;
    Some([
        string(v, "id")?,
        string(v, "create_time")?,
        string(v, "event_type")?,
        string(v, "resource_type")?,
        string(r, "algorithm")?,
        string(r, "ciphertext")?,
        optional("associated_data")?,
    ])
}

fuzz_target!(|data: &[u8]| {
    let ours = notify::envelope(data);
    let theirs: Option<Value> = serde_json::from_slice(data).ok();
    match (&ours, theirs.as_ref().filter(|v| depth(v) <= 64)) {
        (Ok(e), Some(v)) => {
            let want = reference(v).expect("serde_json sees the fields we read");
            let got = [
                e.id.as_str(),
                &e.create_time,
                &e.event_type,
                &e.resource_type,
                &e.resource.algorithm,
                &e.resource.ciphertext,
                &e.resource.associated_data,
            ];
            assert_eq!(got, want);
            assert_eq!(Some(e.resource.nonce.as_str()), string(&v["resource"], "nonce"));
            assert_eq!(e.summary.as_deref(), string(v, "summary"));
        }
        (Ok(_), None) => panic!("accepted a body serde_json refuses (or nested deeper than 64)"),
        (Err(_), Some(v)) => {
            let complete = reference(v).is_some() && string(&v["resource"], "nonce").is_some();
            assert!(!complete, "refused a complete envelope: {ours:?}");
        }
        (Err(_), None) => {}
    }
    // A failure answer for any message.
    let message = String::from_utf8_lossy(data);
    let body = notify::failure_body(&message);
    let v: Value = serde_json::from_str(&body).expect("failure_body is JSON");
    assert_eq!(v, serde_json::json!({ "code": "FAIL", "message": message }));
});
