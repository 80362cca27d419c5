//! Reading a bill: the text of a trade or fund-flow bill is a header line,
//! one line per record with every field prefixed by a backtick (so
//! spreadsheets keep numbers as text), then a summary: a second header line
//! and one backtick line of totals. [`Reader`] takes the lines one at a time
//! (a bill can be streamed); [`parse`] reads a whole text.
//!
//! Records are split on ``,` `` (a comma followed by the next field's
//! backtick), so a comma inside a field (a product name) stays in it.

use crate::error::{Code, Error, Result};

/// Where a [`Reader`] is in the bill.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum At {
    Header,
    Rows,
    Summary,
    Done,
}

/// One line: a record's or summary's fields, or nothing (a header, a blank line).
pub type Fields = Vec<(String, String)>;

/// A line-at-a-time bill reader.
#[derive(Debug)]
pub struct Reader {
    at: At,
    header: Vec<String>,
    summary_header: Vec<String>,
    summary: Option<Fields>,
}

impl Default for Reader {
    fn default() -> Self {
        Reader { at: At::Header, header: Vec::new(), summary_header: Vec::new(), summary: None }
    }
}

fn names(line: &str) -> Vec<String> {
    line.split(',').map(|n| n.trim().to_string()).collect()
}

/// A record's fields: cut at each comma followed by a backtick (a byte scan: `split(",`")`
/// would bring in the two-way string searcher for nothing).
fn values(line: &str) -> Vec<&str> {
    let line = line.strip_prefix('`').unwrap_or(line);
    let b = line.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    for i in 0..b.len().saturating_sub(1) {
        if b[i] == b',' && b[i + 1] == b'`' {
            out.push(crate::text::sub(line, start, i));
            start = i + 2;
        }
    }
    out.push(crate::text::tail(line, start));
    out
}

/// A record's values, as many as its header has names.
fn checked<'a>(header: &[String], line: &'a str) -> Result<Vec<&'a str>> {
    let v = values(line);
    if v.len() != header.len() {
        return Err(Error::new(
            Code::InvalidParam,
            format!("bill: a line has {} fields where its header has {}", v.len(), header.len()),
        ));
    }
    Ok(v.into_iter().map(str::trim_end).collect())
}

fn zip(header: &[String], values: &[&str]) -> Fields {
    header.iter().cloned().zip(values.iter().map(|s| s.to_string())).collect()
}

impl Reader {
    /// A reader at the start of a bill.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads one line (without its line break; a trailing `\r` and a leading
    /// BOM are ignored): the record it holds, if it is one.
    pub fn line(&mut self, line: &str) -> Result<Option<Fields>> {
        Ok(self.record(line)?.map(|v| zip(&self.header, &v)))
    }

    /// [`Reader::line`], the record's values only (in the order of the header's names).
    pub fn record<'a>(&mut self, line: &'a str) -> Result<Option<Vec<&'a str>>> {
        let line = line.trim_start_matches('\u{feff}').trim_end_matches('\r');
        if line.trim().is_empty() {
            return Ok(None);
        }
        let data = line.starts_with('`');
        match (self.at, data) {
            (At::Header, false) => {
                self.header = names(line);
                self.at = At::Rows;
                Ok(None)
            }
            (At::Rows, true) => checked(&self.header, line).map(Some),
            (At::Rows, false) => {
                self.summary_header = names(line);
                self.at = At::Summary;
                Ok(None)
            }
            (At::Summary, true) => {
                self.summary = Some(zip(&self.summary_header, &checked(&self.summary_header, line)?));
                self.at = At::Done;
                Ok(None)
            }
            _ => Err(Error::new(Code::InvalidParam, "bill: a line is out of place (not a header, record or summary line)")),
        }
    }

    /// The summary, once its line was read.
    pub fn summary(&self) -> Option<&Fields> {
        self.summary.as_ref()
    }
}

/// A whole bill as the text of `{"header":[names],"rows":[[values]...],"summary":[[name,
/// value]...]}`: each name once, however many records (JS builds the objects, sharing the
/// names), written as the lines are read (no record is held), within `max` bytes.
pub fn compact_json(text: &str, max: usize) -> Result<String> {
    let mut r = Reader::new();
    // Usually about the text's size (each `,\`` becomes `","`): room for half as much again, so
    // that growing seldom copies it.
    let mut out = crate::error::buffer((text.len() + text.len() / 2).min(max) + 64)?;
    out.extend_from_slice(b"{\"rows\":[");
    let mut first = true;
    // Reserved fallibly before each line (JSON is at most 6 bytes a byte, plus quotes and commas),
    // so exhausted memory is an error, never a trap. One serialiser, of string lists, for all.
    let write = |out: &mut Vec<u8>, values: &[&str]| -> Result<()> {
        let more = values.iter().map(|v| v.len() * 6 + 3).sum::<usize>().saturating_add(16);
        crate::error::reserve(out, more)?;
        // A list of strings always serialises.
        if let Ok(json) = serde_json::to_vec(values) {
            out.extend_from_slice(&json);
        }
        if out.len() > max {
            return Err(Error::new(Code::InvalidParam, format!("parseBill: the bill is longer than {max} bytes as JSON: read it with readBill")));
        }
        Ok(())
    };
    for line in text.split('\n') {
        if let Some(values) = r.record(line)? {
            if !first {
                out.push(b',');
            }
            first = false;
            write(&mut out, &values)?;
        }
    }
    out.extend_from_slice(b"],\"header\":");
    let names: Vec<&str> = r.header.iter().map(String::as_str).collect();
    write(&mut out, &names)?;
    out.extend_from_slice(b",\"summary\":[");
    for (i, (k, v)) in r.summary.iter().flatten().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write(&mut out, &[k.as_str(), v.as_str()])?;
    }
    out.extend_from_slice(b"]}");
    String::from_utf8(out).map_err(|_| Error::new(Code::InvalidParam, "parseBill: not UTF-8"))
}

/// A whole bill.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Bill {
    /// The records, in order.
    pub rows: Vec<Fields>,
    /// The totals (empty if the text has no summary).
    pub summary: Fields,
}

/// Reads a whole bill's text.
pub fn parse(text: &str) -> Result<Bill> {
    let mut r = Reader::new();
    let mut bill = Bill::default();
    for line in text.split('\n') {
        if let Some(row) = r.line(line)? {
            bill.rows.push(row);
        }
    }
    bill.summary = r.summary.unwrap_or_default();
    Ok(bill)
}

/// Fields as the text of a JSON object (keys in order).
pub fn object_json(fields: &Fields, out: &mut String) {
    out.push('{');
    for (i, (k, v)) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&serde_json::to_string(k).unwrap_or_default());
        out.push(':');
        out.push_str(&serde_json::to_string(v).unwrap_or_default());
    }
    out.push('}');
}

impl Bill {
    /// `{"rows":[{...}],"summary":{...}}`.
    pub fn to_json(&self) -> String {
        let mut out = String::from("{\"rows\":[");
        for (i, row) in self.rows.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            object_json(row, &mut out);
        }
        out.push_str("],\"summary\":");
        object_json(&self.summary, &mut out);
        out.push('}');
        out
    }
}

/// Decrypts one part of an encrypted bill (the sub-merchant fund-flow
/// bill): `encrypt_key` is the base64 RSAES-OAEP (SHA-1) ciphertext of a
/// 32-byte AES-256 key under the merchant key; the part is AES-256-GCM under
/// it with `nonce` as IV, no associated data, the tag at the end.
/// `ERR_FILE_DECODE` when either step fails.
pub async fn decrypt_part<B: crate::crypto::Backend>(
    backend: &B,
    key: &crate::keys::PrivateKey,
    encrypt_key: &str,
    nonce: &str,
    sealed: &[u8],
) -> Result<zeroize::Zeroizing<Vec<u8>>> {
    let fail = |why: &str| Error::new(Code::FileDecode, format!("encrypted bill: {why}"));
    let wrapped = crate::base64::decode_public(encrypt_key.trim()).ok_or_else(|| fail("encrypt_key is not base64"))?;
    // By the client's backend, as every other use of the merchant key.
    let raw = zeroize::Zeroizing::new(
        backend.oaep_decrypt(key, &wrapped).await.map_err(|_| fail("encrypt_key does not decrypt under the merchant key"))?,
    );
    let aes = crate::aead::ApiV3Key::from_bytes(&raw).ok_or_else(|| fail("encrypt_key does not hold a 32-byte key"))?;
    crate::aead::decrypt(&aes, nonce.as_bytes(), b"", sealed).map_err(|_| fail("a part does not decrypt under its encrypt_key and nonce"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRADE: &str = "\u{feff}交易时间,公众账号ID,商户号,商品名称,应结订单金额\r\n\
`2024-01-02 10:00:00,`wx2421b1c4370ec43b,`1900000109,`咖啡, 大杯,`0.01\r\n\
`2024-01-02 11:00:00,`wx2421b1c4370ec43b,`1900000109,`茶,`1.00\r\n\
总交易单数,应结订单总金额\r\n\
`2,`1.01\r\n";

    #[test]
    fn trade_bill() {
        let b = parse(TRADE).unwrap();
        assert_eq!(b.rows.len(), 2);
        assert_eq!(b.rows[0][0], ("交易时间".to_string(), "2024-01-02 10:00:00".to_string()));
        assert_eq!(b.rows[0][3].1, "咖啡, 大杯");
        assert_eq!(b.rows[1][4].1, "1.00");
        assert_eq!(b.summary, vec![("总交易单数".into(), "2".into()), ("应结订单总金额".into(), "1.01".into())]);
        assert_eq!(
            Bill { rows: vec![b.rows[1].clone()], summary: b.summary.clone() }.to_json(),
            "{\"rows\":[{\"交易时间\":\"2024-01-02 11:00:00\",\"公众账号ID\":\"wx2421b1c4370ec43b\",\"商户号\":\"1900000109\",\"商品名称\":\"茶\",\"应结订单金额\":\"1.00\"}],\"summary\":{\"总交易单数\":\"2\",\"应结订单总金额\":\"1.01\"}}"
        );
    }

    #[test]
    fn lines_one_at_a_time() {
        let mut r = Reader::new();
        assert_eq!(r.line("a,b").unwrap(), None);
        assert_eq!(r.line("`1,`2").unwrap(), Some(vec![("a".into(), "1".into()), ("b".into(), "2".into())]));
        assert_eq!(r.line("n").unwrap(), None);
        assert!(r.summary().is_none());
        assert_eq!(r.line("`1").unwrap(), None);
        assert_eq!(r.summary(), Some(&vec![("n".to_string(), "1".to_string())]));
        assert_eq!(r.line("`9").unwrap_err().code, Code::InvalidParam);
    }

    #[test]
    fn a_short_line_is_refused() {
        assert_eq!(parse("a,b\n`1\n").unwrap_err().code, Code::InvalidParam);
    }

    #[test]
    fn compact() {
        let json = compact_json(TRADE, usize::MAX).unwrap();
        assert_eq!(
            json,
            "{\"rows\":[[\"2024-01-02 10:00:00\",\"wx2421b1c4370ec43b\",\"1900000109\",\"咖啡, 大杯\",\"0.01\"],[\"2024-01-02 11:00:00\",\"wx2421b1c4370ec43b\",\"1900000109\",\"茶\",\"1.00\"]],\"header\":[\"交易时间\",\"公众账号ID\",\"商户号\",\"商品名称\",\"应结订单金额\"],\"summary\":[[\"总交易单数\",\"2\"],[\"应结订单总金额\",\"1.01\"]]}"
        );
        assert_eq!(compact_json("", usize::MAX).unwrap(), "{\"rows\":[],\"header\":[],\"summary\":[]}");
        assert_eq!(compact_json("a\n`\"q\\\n", usize::MAX).unwrap(), "{\"rows\":[[\"\\\"q\\\\\"]],\"header\":[\"a\"],\"summary\":[]}");
        assert_eq!(compact_json(TRADE, 64).unwrap_err().code, Code::InvalidParam);
        assert_eq!(compact_json("a,b\n`1\n", usize::MAX).unwrap_err().code, Code::InvalidParam);
    }

    #[test]
    fn empty_bill() {
        assert_eq!(parse("").unwrap(), Bill::default());
        assert_eq!(parse("").unwrap().to_json(), "{\"rows\":[],\"summary\":{}}");
    }
}
