use std::time::Instant;
use wxpay_wasm::rsa::{exp, inverse};
fn main() {
    let der = std::fs::read("/tmp/rt/key.der").unwrap();
    let key = wxpay_wasm::keys::PrivateKey::parse(&der, "k").unwrap();
    let n = 200;
    let t = Instant::now();
    for i in 0..n { wxpay_wasm::crypto::sign(&key, &[i as u8; 50]).unwrap(); }
    println!("sign {:.3} ms", t.elapsed().as_secs_f64() * 1e3 / n as f64);
    let r = key.rsa();
    let p = r.p_for_bench();
    let l = p.len();
    let a: Vec<u64> = (0..l).map(|i| (i as u64 * 7919) & 0xfffffff).collect();
    let mut o = vec![0u64; l];
    let t = Instant::now();
    for _ in 0..100000 { p.mul(&mut o, &a, &a); }
    println!("mul37 {:.3} us", t.elapsed().as_secs_f64() * 1e6 / 100000.0);
    let t = Instant::now();
    for _ in 0..100000 { p.sqr(&mut o, &a); }
    println!("sqr37 {:.3} us", t.elapsed().as_secs_f64() * 1e6 / 100000.0);
    let t = Instant::now();
    for _ in 0..100 { exp::pow_secret(p, &mut o, &a, &a, p.bits); }
    println!("pow {:.3} ms", t.elapsed().as_secs_f64() * 1e3 / 100.0);
    let nn = &r.public().n_for_bench().m;
    let w: Vec<u64> = { let mut v = vec![0u64; 32]; for i in 0..31 { v[i] = 0x1234567890abcdefu64.wrapping_mul(i as u64 + 3);} v };
    let nw: Vec<u64> = { let mut v = vec![0u64; 32]; let mut bytes = vec![0u8; 256]; wxpay_wasm::rsa::limbs::to_be_bytes(nn, &mut bytes); for i in 0..32 { v[i] = u64::from_be_bytes(bytes[256-8*(i+1)..256-8*i].try_into().unwrap()); } v };
    let t = Instant::now();
    for _ in 0..1000 { inverse::almost_inverse(&w, &nw).unwrap(); }
    println!("inverse {:.3} ms", t.elapsed().as_secs_f64() * 1e3 / 1000.0);
}
