//! `request::message` and `request::authorization` with what `config`
//! lets through: the message is the five documented lines, and the header
//! reads back field by field, a valid HTTP field value.
//! Input: `mchid 0xFF serial 0xFF path 0xFF body`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wxpay_wasm::request::{authorization, message, Method, SCHEME};
use wxpay_wasm::{base64, config, nonce};
use wxpay_wasm_fuzz::fields;

fuzz_target!(|data: &[u8]| {
    let f = fields(data);
    let (Some(mchid), Some(serial)) = (f.first(), f.get(1)) else { return };
    let (Ok(mchid), Ok(serial)) = (std::str::from_utf8(mchid), std::str::from_utf8(serial)) else { return };
    let path = f.get(2).and_then(|p| std::str::from_utf8(p).ok()).unwrap_or("/v3/x");
    let body = f.get(3).copied().unwrap_or_default();
    let ts = data.len() as u64 * 1_000_003;
    // The input as the random source, shifted each round so that bytes the
    // nonce rejects (62, 63) cannot repeat forever.
    let mut round = 0u8;
    let nonce = nonce::nonce_from(|b| {
        for (i, x) in b.iter_mut().enumerate() {
            *x = data.get(i).copied().unwrap_or(i as u8).wrapping_add(round);
        }
        round = round.wrapping_add(1);
        Ok(())
    });
    let nonce = nonce.expect("the source never fails");
    assert!(nonce.len() == 32 && nonce.bytes().all(|b| b.is_ascii_alphanumeric()));
    let method = Method::ALL[data.len() % 5];
    if !path.contains('\n') {
        let m = message(method, path, ts, &nonce, body).expect("a message within limits");
        let head = format!("{}\n{path}\n{ts}\n{nonce}\n", method.as_str());
        assert!(m.starts_with(head.as_bytes()));
        assert_eq!(&m[head.len()..], [body, b"\n"].concat());
    }
    let (Ok(mchid), Ok(serial)) = (config::mchid(mchid), config::serial(serial)) else { return };
    let signature = &data[..data.len().min(300)];
    let header = authorization(&mchid, &serial, ts, &nonce, &base64::encode(signature));
    assert!(header.bytes().all(|b| (0x20..0x7f).contains(&b)), "{header}");
    let rest = header.strip_prefix(SCHEME).and_then(|r| r.strip_prefix(' ')).expect("scheme");
    let got: Vec<(&str, &str)> = rest
        .split(',')
        .map(|p| {
            let (k, v) = p.split_once('=').expect("k=v");
            (k, v.strip_prefix('"').and_then(|v| v.strip_suffix('"')).expect("quoted"))
        })
        .collect();
    let ts = ts.to_string();
    let sig = base64::encode(signature);
    let want = [("mchid", mchid.as_str()), ("serial_no", &serial), ("timestamp", &ts), ("nonce_str", &nonce), ("signature", &sig)];
    assert_eq!(got, want);
});
