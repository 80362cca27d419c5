//! `response::verify` on Node's signed answer (`tests/fixtures/answer_body.*`)
//! changed by the input: a list of 4-byte edits `[what, at_hi, at_lo, byte]`,
//! `what % 5` the field (timestamp, nonce, signature, serial, body) and
//! `what / 5 % 3` the edit (xor, insert, delete). The answer verifies iff
//! it is unchanged (a hex serial in another case is the same serial);
//! otherwise it fails with the code of what changed.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wxpay_wasm::response::{verify, SignatureHeaders, MAX_SKEW_SECS, RESPONSE_CODES};
use wxpay_wasm::Code;
use wxpay_wasm_fuzz::{ring, ANSWER_BODY, ANSWER_NONCE, ANSWER_SIG, ANSWER_TS, NOW, PLATFORM_SERIAL};

fuzz_target!(|data: &[u8]| {
    let original: [Vec<u8>; 5] = [
        ANSWER_TS.into(),
        ANSWER_NONCE.into(),
        ANSWER_SIG.trim_end().into(),
        PLATFORM_SERIAL.into(),
        ANSWER_BODY.into(),
    ];
    let mut a = original.clone();
    for op in data.chunks_exact(4) {
        let field = usize::from(op[0]) % 5;
        let at = usize::from(u16::from_be_bytes([op[1], op[2]]));
        let v = &mut a[field];
        match op[0] / 5 % 3 {
            0 if !v.is_empty() => {
                let i = at % v.len();
                v[i] ^= op[3];
            }
            1 => {
                let i = at % (v.len() + 1);
                v.insert(i, op[3]);
            }
            2 if !v.is_empty() => {
                let i = at % v.len();
                v.remove(i);
            }
            _ => {}
        }
    }
    let text: Vec<&str> = match a[..4].iter().map(|f| std::str::from_utf8(f)).collect() {
        Ok(t) => t,
        Err(_) => return, // headers arrive as strings
    };
    let h = SignatureHeaders { timestamp: Some(text[0]), nonce: Some(text[1]), signature: Some(text[2]), serial: Some(text[3]) };
    let got = verify(&h, &a[4], NOW, ring(), RESPONSE_CODES).map_err(|e| e.code);
    let ts_ok = !text[0].is_empty()
        && text[0].len() <= 12
        && text[0].bytes().all(|b| b.is_ascii_digit())
        && text[0].parse::<u64>().is_ok_and(|t| t.abs_diff(NOW) <= MAX_SKEW_SECS);
    let want = if !ts_ok {
        Err(Code::ResponseTimestamp)
    } else if !text[3].eq_ignore_ascii_case(PLATFORM_SERIAL) {
        Err(Code::ResponseSerial)
    } else if a[0] != original[0] || a[1] != original[1] || a[2] != original[2] || a[4] != original[4] {
        Err(Code::ResponseSignature)
    } else {
        Ok(())
    };
    assert_eq!(got, want, "{a:?}");
});
