//! Splitting a request's `Cookie` header into `(name, value)` pairs.
//!
//! ferrapi's own parser, so that every app does not build the `cookie` crate (and `time`
//! with its macros) for one loop. It reads exactly what `cookie` 0.18's
//! `Cookie::split_parse` followed by `name_raw`/`value_raw` read before:
//!
//! - the header is split on `;`; a piece that is empty or only whitespace is skipped;
//! - a piece is trimmed, then split at its first `=`: a piece without `=` is skipped, and so
//!   is one whose name (trimmed) is empty;
//! - the value is trimmed, and nothing else: no percent-decoding, a `=` after the first
//!   belongs to the value;
//! - one surrounding pair of double quotes is taken off the value (`"abc"` is `abc`; a lone
//!   `"` or unbalanced quotes stay as written), as ferrapi did after the `cookie` crate's
//!   parser (FastAPI, through Python's `http.cookies`, unquotes as well).
//!
//! A header is read as UTF-8, as every other header is (`sources::header_values`): a piece
//! whose bytes are no UTF-8 keeps its name, when that is text, with the value `"\u{FFFD}"`,
//! so a constrained cookie sent as raw bytes is judged (422), not taken as absent.
//!
//! Pieces are borrowed from the header: no allocation.

/// The `(name, value)` pairs of one `Cookie` header value, in order (repeated names are all
/// yielded; the caller decides which one wins).
pub(crate) fn pairs(header: &[u8]) -> impl Iterator<Item = (&str, &str)> {
    header
        .split(|b| *b == b';')
        .filter_map(|piece| match std::str::from_utf8(piece) {
            Ok(piece) => pair(piece),
            Err(_) => {
                let eq = piece.iter().position(|b| *b == b'=')?;
                let name = std::str::from_utf8(&piece[..eq]).ok()?.trim();
                (!name.is_empty()).then_some((name, "\u{FFFD}"))
            }
        })
}

/// One `name=value` piece, or `None` when it is skipped.
fn pair(piece: &str) -> Option<(&str, &str)> {
    let piece = piece.trim();
    let (name, value) = piece.split_once('=')?;
    let name = name.trim();
    if name.is_empty() {
        return None;
    }
    Some((name, unquote(value.trim())))
}

/// `"abc"` → `abc`: one surrounding pair of double quotes, when there is a pair.
fn unquote(value: &str) -> &str {
    value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .unwrap_or(value)
}

#[cfg(test)]
mod tests {
    use super::pairs;

    fn all(header: &str) -> Vec<(&str, &str)> {
        pairs(header.as_bytes()).collect()
    }

    #[test]
    fn splits_on_semicolons_and_trims() {
        assert_eq!(
            all("session_id=abc123; theme=dark"),
            [("session_id", "abc123"), ("theme", "dark")]
        );
        assert_eq!(
            all("  a = 1 ;b=2;   c  =  3  "),
            [("a", "1"), ("b", "2"), ("c", "3")]
        );
        assert_eq!(all("a=1;\tb=2\t"), [("a", "1"), ("b", "2")]);
    }

    #[test]
    fn empty_pieces_are_skipped() {
        assert!(all("").is_empty());
        assert!(all(";").is_empty());
        assert!(all(";;;").is_empty());
        assert!(all("  ;  ; \t ;").is_empty());
        assert_eq!(all(";;a=1;;;b=2;;"), [("a", "1"), ("b", "2")]);
    }

    #[test]
    fn pieces_without_equals_or_name_are_skipped() {
        assert!(all("=").is_empty());
        assert!(all("==").is_empty());
        assert!(all("=value").is_empty());
        assert!(all(" =value").is_empty());
        assert!(all("flag").is_empty());
        assert_eq!(all("flag; a=1; =x; b=2"), [("a", "1"), ("b", "2")]);
    }

    #[test]
    fn values_are_kept_as_written() {
        assert_eq!(all("a="), [("a", "")]);
        assert_eq!(all("a= "), [("a", "")]);
        assert_eq!(all("a=b=c"), [("a", "b=c")]);
        assert_eq!(all("a=="), [("a", "=")]);
        assert_eq!(all("a=%20x%2F"), [("a", "%20x%2F")]);
        assert_eq!(all("a=x y"), [("a", "x y")]);
        assert_eq!(all("a b=1"), [("a b", "1")]);
        assert_eq!(all("a,b=1, c=2"), [("a,b", "1, c=2")]);
    }

    #[test]
    fn one_surrounding_pair_of_quotes_is_removed() {
        assert_eq!(all(r#"a="abc""#), [("a", "abc")]);
        assert_eq!(all(r#"a= "abc" "#), [("a", "abc")]);
        assert_eq!(all(r#"a="""#), [("a", "")]);
        assert_eq!(all(r#"a="x y""#), [("a", "x y")]);
        assert_eq!(all("a=\"\"\"abc\"\"\"\""), [("a", "\"\"abc\"\"\"")]);
        assert_eq!(all(r#"a=""#), [("a", "\"")]);
        assert_eq!(all(r#"a="abc"#), [("a", "\"abc")]);
        assert_eq!(all(r#"a=abc""#), [("a", "abc\"")]);
        assert_eq!(all(r#"a=" abc ""#), [("a", " abc ")]);
        // Names keep their quotes: only values are unquoted.
        assert_eq!(all(r#""a"=1"#), [("\"a\"", "1")]);
    }

    #[test]
    fn repeated_names_are_all_yielded_in_order() {
        assert_eq!(all("a=1; a=2; b=3"), [("a", "1"), ("a", "2"), ("b", "3")]);
    }

    #[test]
    fn unicode_is_kept_and_unicode_whitespace_trimmed_as_before() {
        assert_eq!(
            all("café=crème; 名前=値"),
            [("café", "crème"), ("名前", "値")]
        );
        // `str::trim` (which the `cookie` crate used too) trims Unicode whitespace.
        assert_eq!(all("\u{a0}a\u{3000}=\u{2003}b\u{a0}"), [("a", "b")]);
        assert_eq!(all("a=\u{1F36A}"), [("a", "\u{1F36A}")]);
        assert!(all("\u{3000};\u{a0}").is_empty());
    }

    #[test]
    fn hostile_input() {
        // 10,000 pairs: linear, all read.
        let many: String = (0..10_000).map(|i| format!("k{i}=v{i}; ")).collect();
        let got = all(&many);
        assert_eq!(got.len(), 10_000);
        assert_eq!(got[9_999], ("k9999", "v9999"));
        // Only separators, only equals signs, and a mixture.
        assert!(all(&";".repeat(100_000)).is_empty());
        assert!(all(&"=".repeat(100_000)).is_empty());
        assert!(all(&"=;".repeat(50_000)).is_empty());
        // One huge value.
        let huge = format!("a={}", "x".repeat(1 << 20));
        assert_eq!(all(&huge)[0].1.len(), 1 << 20);
        // Quotes everywhere.
        assert_eq!(all(r#"""=""; "=""#), [("\"\"", ""), ("\"", "\"")]);
        assert_eq!(all("q=\"\"\"; r=\"\"\"\""), [("q", "\""), ("r", "\"\"")]);
        // Control characters are not whitespace to strip here beyond what `trim` strips.
        assert_eq!(all("a=\u{1}x\u{1}"), [("a", "\u{1}x\u{1}")]);
    }

    /// The request side: every `Cookie` header is read, the first value of a name wins,
    /// values are read as UTF-8 and bytes that are no text arrive as U+FFFD.
    #[test]
    fn cookies_of_a_request() {
        use crate::extract::Cookies;
        use http::HeaderValue;

        let mut req = http::Request::builder()
            .header("cookie", "a=1; b=\"two\"")
            .header("cookie", "a=3; c=4")
            .body(())
            .unwrap();
        req.headers_mut().append(
            "cookie",
            HeaderValue::from_bytes("d=caf\u{e9}".as_bytes()).unwrap(),
        );
        req.headers_mut()
            .append("cookie", HeaderValue::from_bytes(b"e=\xff; f=6").unwrap());
        let (parts, ()) = req.into_parts();
        let c = Cookies::parse(&parts);
        assert_eq!(c.values("a").as_slice(), ["1"]);
        assert_eq!(c.values("b").as_slice(), ["two"]);
        assert_eq!(c.values("c").as_slice(), ["4"]);
        assert_eq!(
            c.values("d").as_slice(),
            ["caf\u{e9}"],
            "UTF-8 beyond ASCII is read"
        );
        assert_eq!(
            c.values("e").as_slice(),
            ["\u{FFFD}"],
            "no text: U+FFFD, not absent"
        );
        assert_eq!(
            c.values("f").as_slice(),
            ["6"],
            "the rest of that header is read"
        );
        assert!(c.values("zzz").is_empty());
    }

    #[test]
    fn text_is_read_as_utf8_and_bytes_that_are_none_as_u_fffd() {
        assert_eq!(all("name=café; b=2"), [("name", "café"), ("b", "2")]);
        let raw: &[u8] = b"a=1; key=\xff\xfe; \xff=x; b=2";
        assert_eq!(
            pairs(raw).collect::<Vec<_>>(),
            [("a", "1"), ("key", "\u{FFFD}"), ("b", "2")]
        );
        assert!(pairs(b"\xff\xfe").next().is_none());
    }
}
