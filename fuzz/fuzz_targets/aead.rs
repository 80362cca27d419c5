//! AEAD_AES_256_GCM (`aead::decrypt`, `aead::decrypt_base64`): what is sealed
//! opens to itself, any changed byte or bit of it fails with
//! `ERR_NOTIFY_DECRYPT`, and arbitrary input never panics.
//! Input: `nonce 0xFF aad 0xFF plaintext`.
#![no_main]

use aes_gcm::aead::consts::U16;
use aes_gcm::aead::generic_array::GenericArray;
use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::aes::Aes256;
use aes_gcm::{Aes256Gcm, AesGcm};
use libfuzzer_sys::fuzz_target;
use wxpay_wasm::aead::{decrypt, decrypt_base64, ApiV3Key};
use wxpay_wasm::{base64, Code};
use wxpay_wasm_fuzz::APIV3_KEY;

fuzz_target!(|data: &[u8]| {
    let key = ApiV3Key::new(APIV3_KEY).expect("fixture key");
    // Raw: any nonce, aad and sealed bytes.
    let f = wxpay_wasm_fuzz::fields(data);
    if let [nonce, aad, sealed, ..] = f[..] {
        if let Err(e) = decrypt(&key, nonce, aad, sealed) {
            assert_eq!(e.code, Code::NotifyDecrypt);
        }
    }
    let (Some(nonce), Some(aad)) = (f.first(), f.get(1)) else { return };
    let plain = f.get(2..).map(|p| p.join(&0xff)).unwrap_or_default();
    let (Ok(nonce_text), Ok(aad_text)) = (std::str::from_utf8(nonce), std::str::from_utf8(aad)) else { return };
    let payload = Payload { msg: &plain, aad };
    let sealed = match nonce.len() {
        12 => Aes256Gcm::new_from_slice(APIV3_KEY.as_bytes()).unwrap().encrypt(GenericArray::from_slice(nonce), payload),
        16 => AesGcm::<Aes256, U16>::new_from_slice(APIV3_KEY.as_bytes()).unwrap().encrypt(GenericArray::from_slice(nonce), payload),
        _ => {
            let e = decrypt_base64(&key, nonce_text, aad_text, &base64::encode(&[0; 32])).unwrap_err();
            assert_eq!(e.code, Code::NotifyDecrypt);
            return;
        }
    }
    .expect("encrypts");
    let b64 = base64::encode(&sealed);
    assert_eq!(*decrypt_base64(&key, nonce_text, aad_text, &b64).expect("opens"), plain);
    // One changed bit, at a place the input chooses.
    let at = plain.iter().fold(0usize, |a, &b| a.wrapping_mul(31).wrapping_add(usize::from(b)));
    let mut bad = sealed.clone();
    let i = at % bad.len();
    bad[i] ^= 1 << (at % 8);
    assert_eq!(decrypt(&key, nonce, aad, &bad).unwrap_err().code, Code::NotifyDecrypt);
    let mut bad_aad = aad.to_vec();
    bad_aad.push(0);
    assert_eq!(decrypt(&key, nonce, &bad_aad, &sealed).unwrap_err().code, Code::NotifyDecrypt);
    assert_eq!(decrypt(&key, nonce, aad, &sealed[..sealed.len() - 1]).unwrap_err().code, Code::NotifyDecrypt);
});
