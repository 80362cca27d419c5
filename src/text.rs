//! Cutting and searching strings with no panic path. Slicing a `str` by byte
//! index brings in core's "not a char boundary" panic, which formats a `char`
//! with `Debug` and so Unicode tables with it; searching for a `&str` brings
//! in core's two-way searcher. Together about 4 KB of the gzipped .wasm
//! (137,272 B with them gone, 142,181 B before).
//! The indices cut here come from searches for ASCII, so they always fall
//! on char boundaries: the `""` fallback is never taken.

/// `s[from..to]`, or `""` where that is not a slice of `s`.
pub fn sub(s: &str, from: usize, to: usize) -> &str {
    s.get(from..to).unwrap_or("")
}

/// `s[from..]`, or `""` where that is not a slice of `s`.
pub fn tail(s: &str, from: usize) -> &str {
    s.get(from..).unwrap_or("")
}

/// The byte index of the first `needle` in `s`.
pub fn find(s: &str, needle: &str) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    s.as_bytes().windows(needle.len()).position(|w| w == needle.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_with_std() {
        for (s, n) in [("-----BEGIN X-----", "-----"), ("abc", ""), ("", "a"), ("ééé-----", "-----"), ("aaab", "aab"), ("ab", "abc")] {
            assert_eq!(find(s, n), s.find(n), "{s:?} {n:?}");
        }
        assert_eq!(sub("héllo", 0, 2), "");
        assert_eq!(sub("héllo", 0, 3), "hé");
        assert_eq!(tail("héllo", 2), "");
        assert_eq!(tail("héllo", 3), "llo");
    }
}
