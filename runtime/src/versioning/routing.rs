//! How a request chooses its version: a path prefix (`/v1/items/`) or a header
//! (`API-Version: 1`).

use http::HeaderName;

use super::Version;

/// How a versioned app routes a request to a version (see [`App::versions`](crate::App::versions)).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum VersionRouting {
    /// Each version is served under its own prefix, derived from its major version:
    /// `/v1/items/`, `/v2/items/` (the default). A path without a version prefix is not
    /// found. Each version's document lists the paths without the prefix and names it in
    /// `servers` (`{"url": "/v1"}`), so the documents of two versions compare path by path.
    #[default]
    PathPrefix,
    /// Every version is served on the same paths, and the request names its version in
    /// this header: `API-Version: 1` (the latest version of major 1), `1.1`, `1.1.0` or
    /// `v1`. Without the header, the latest version answers; a version the app does not
    /// serve is answered 400.
    Header(HeaderName),
}

impl VersionRouting {
    /// Routing by the header `name`, such as `"API-Version"`.
    ///
    /// # Panics
    ///
    /// When `name` is not a valid header name.
    pub fn header(name: &str) -> Self {
        match HeaderName::from_bytes(name.as_bytes()) {
            Ok(h) => VersionRouting::Header(h),
            Err(_) => panic!("`{name}` is not a valid header name"),
        }
    }
}

/// The longest header value read as a version; anything longer is not one.
const MAX_VERSION_TEXT: usize = 64;

/// The version a request asks for: `1`, `1.2`, `1.2.3`, each optionally after `v`, is the
/// latest served version whose leading numbers are those. `None` when the text names no
/// served version (or is not a version at all).
pub fn select(text: &[u8], served: &[Version]) -> Option<usize> {
    if text.len() > MAX_VERSION_TEXT {
        return None;
    }
    let text = std::str::from_utf8(text).ok()?.trim();
    let text = text
        .strip_prefix('v')
        .or_else(|| text.strip_prefix('V'))
        .unwrap_or(text);
    let mut wanted = [None; 3];
    let mut parts = text.split('.');
    for slot in &mut wanted {
        match parts.next() {
            Some(p) => *slot = Some(super::version::number(p)?),
            None => break,
        }
    }
    if parts.next().is_some() || wanted[0].is_none() {
        return None;
    }
    let fits = |v: &Version| {
        [v.major, v.minor, v.patch]
            .iter()
            .zip(&wanted)
            .all(|(have, want)| want.is_none_or(|w| *have == w))
    };
    // `served` is sorted: the last that fits is the latest.
    served.iter().rposition(fits)
}

/// The name of each served version in URLs and file names: `v1` when no other served
/// version has major 1, else `v1.1` when no other has 1.1, else `v1.1.0`.
pub fn labels(served: &[Version]) -> Vec<String> {
    served
        .iter()
        .map(|v| {
            let same_major = served.iter().filter(|o| o.major == v.major).count();
            let same_minor = served
                .iter()
                .filter(|o| o.major == v.major && o.minor == v.minor)
                .count();
            if same_major == 1 {
                format!("v{}", v.major)
            } else if same_minor == 1 {
                format!("v{}.{}", v.major, v.minor)
            } else {
                format!("v{v}")
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_header_selects_the_latest_fitting_version() {
        let served = [
            Version::new(1, 0, 0),
            Version::new(1, 1, 0),
            Version::new(2, 0, 0),
        ];
        let pick = |t: &str| select(t.as_bytes(), &served);
        assert_eq!(pick("1"), Some(1));
        assert_eq!(pick("v1"), Some(1));
        assert_eq!(pick(" 1.0 "), Some(0));
        assert_eq!(pick("1.0.0"), Some(0));
        assert_eq!(pick("2"), Some(2));
        assert_eq!(pick("V2.0.0"), Some(2));
        for bad in [
            "", "3", "1.2", "1.0.1", "x", "1.", ".1", "1.0.0.0", "-1", "01", "1 .0",
        ] {
            assert_eq!(pick(bad), None, "{bad:?}");
        }
        assert_eq!(select(&[0xff, 0xfe], &served), None);
        assert_eq!(pick(&"1".repeat(100)), None);
    }

    #[test]
    fn labels_are_as_short_as_they_can_be() {
        let v = |a, b, c| Version::new(a, b, c);
        assert_eq!(labels(&[v(1, 0, 0), v(2, 0, 0)]), ["v1", "v2"]);
        assert_eq!(
            labels(&[v(1, 0, 0), v(1, 1, 0), v(1, 1, 1), v(2, 3, 0)]),
            ["v1.0", "v1.1.0", "v1.1.1", "v2"]
        );
    }
}
