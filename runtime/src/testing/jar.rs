//! The test client's cookie jar: the part of RFC 6265 a browser applies to one host,
//! `testserver`, reached over plain `http`.
//!
//! ferrapi's own, so that every app does not build `cookie_store`, `cookie` and `time` for
//! its tests. What it does:
//!
//! - `Set-Cookie` (RFC 6265 5.2): `name=value` before the first `;`, both trimmed; a value
//!   without `=` or with an empty name is ignored. The value is kept as written (quotes
//!   included) and sent back as written. Attribute names are case-insensitive; unknown
//!   attributes, `HttpOnly`, `SameSite` and `Partitioned` are accepted and ignored.
//! - `Path` (5.2.4, 5.3 step 7): the last one wins; a value that does not start with `/`
//!   (or is empty) gives the default-path of the request (5.1.4).
//! - `Max-Age` (5.2.2): digits, optionally after `-`; zero or negative deletes the cookie;
//!   anything else is ignored. A value too large for the clock never expires.
//! - `Expires` (5.2.1): an HTTP date (IMF-fixdate, RFC 850 or asctime, read by `httpdate`);
//!   a date in the past deletes the cookie; a date that does not parse is ignored.
//!   `Max-Age` wins over `Expires`, whatever their order.
//! - `Domain` (5.2.3, 5.3 step 6): a leading `.` is dropped and case does not matter; any
//!   domain other than `testserver` rejects the cookie; an empty one is ignored.
//! - `Secure`: the cookie is kept (and listed) but never sent, since requests go over
//!   `http` (as `cookie_store`, which the jar replaces, did).
//! - A cookie with the name and path of a stored one replaces it and keeps its place
//!   (5.3 step 11); an expired one removes it.
//! - A request gets the unexpired cookies whose path path-matches its own (5.1.4), longer
//!   paths first, then in creation order (5.4 step 2).

use std::time::{Duration, SystemTime};

/// The one host the test client talks to.
const HOST: &str = "testserver";

/// The cookies the client keeps, in creation order.
#[derive(Debug, Default)]
pub(super) struct Jar {
    cookies: Vec<Stored>,
}

/// One kept cookie.
#[derive(Debug)]
struct Stored {
    name: String,
    value: String,
    path: String,
    /// `None`: a session cookie, or one whose expiry is beyond the clock.
    expires: Option<SystemTime>,
    secure: bool,
}

impl Stored {
    fn is_expired(&self, now: SystemTime) -> bool {
        self.expires.is_some_and(|t| t <= now)
    }
}

impl Jar {
    /// Applies one `Set-Cookie` value received in answer to a request for `request_path`
    /// (a [`request_path`] result) at time `now`. A value the rules reject changes nothing.
    pub(super) fn receive(&mut self, set_cookie: &str, request_path: &str, now: SystemTime) {
        let Some(c) = SetCookie::parse(set_cookie) else {
            return;
        };
        if let Some(domain) = c.domain {
            let domain = domain.strip_prefix('.').unwrap_or(domain);
            if !domain.is_empty() && !domain.eq_ignore_ascii_case(HOST) {
                return;
            }
        }
        let path = match c.path {
            Some(p) if p.starts_with('/') => p,
            _ => default_path(request_path),
        };
        let expires = match c.max_age {
            Some(MaxAge::Expired) => Some(SystemTime::UNIX_EPOCH),
            Some(MaxAge::Seconds(s)) => now.checked_add(Duration::from_secs(s)),
            None => c.expires,
        };
        self.cookies.retain(|s| !s.is_expired(now));
        let old = self
            .cookies
            .iter()
            .position(|s| s.name == c.name && s.path == path);
        if expires.is_some_and(|t| t <= now) {
            if let Some(i) = old {
                self.cookies.remove(i);
            }
            return;
        }
        let new = Stored {
            name: c.name.to_owned(),
            value: c.value.to_owned(),
            path: path.to_owned(),
            expires,
            secure: c.secure,
        };
        match old {
            Some(i) => self.cookies[i] = new,
            None => self.cookies.push(new),
        }
    }

    /// The `Cookie` header for a request for `request_path` at time `now` (empty when no
    /// cookie goes with it).
    pub(super) fn cookie_header(&self, request_path: &str, now: SystemTime) -> String {
        let mut sent: Vec<&Stored> = self
            .cookies
            .iter()
            .filter(|c| !c.secure && !c.is_expired(now) && path_matches(request_path, &c.path))
            .collect();
        // Stable: equal path lengths stay in creation order.
        sent.sort_by_key(|c| std::cmp::Reverse(c.path.len()));
        let mut line = String::new();
        for c in sent {
            if !line.is_empty() {
                line.push_str("; ");
            }
            line.push_str(&c.name);
            line.push('=');
            line.push_str(&c.value);
        }
        line
    }

    /// Every unexpired cookie at time `now`, whatever its path, as `(name, value)` in
    /// creation order.
    pub(super) fn unexpired(&self, now: SystemTime) -> Vec<(String, String)> {
        self.cookies
            .iter()
            .filter(|c| !c.is_expired(now))
            .map(|c| (c.name.clone(), c.value.clone()))
            .collect()
    }
}

/// What one `Set-Cookie` value says.
#[derive(Debug, Default, PartialEq)]
struct SetCookie<'a> {
    name: &'a str,
    value: &'a str,
    path: Option<&'a str>,
    domain: Option<&'a str>,
    max_age: Option<MaxAge>,
    expires: Option<SystemTime>,
    secure: bool,
}

/// A `Max-Age` that parsed.
#[derive(Debug, Clone, Copy, PartialEq)]
enum MaxAge {
    /// Zero or negative: expired now.
    Expired,
    /// That many seconds from now (`u64::MAX` when the digits say more).
    Seconds(u64),
}

impl<'a> SetCookie<'a> {
    /// Parses a `Set-Cookie` value (RFC 6265 5.2); `None` when it is to be ignored.
    fn parse(s: &'a str) -> Option<Self> {
        let mut parts = s.split(';');
        let (name, value) = parts.next()?.split_once('=')?;
        let name = name.trim();
        if name.is_empty() {
            return None;
        }
        let mut c = SetCookie {
            name,
            value: value.trim(),
            ..SetCookie::default()
        };
        for attr in parts {
            let (key, value) = match attr.split_once('=') {
                Some((k, v)) => (k.trim(), Some(v.trim())),
                None => (attr.trim(), None),
            };
            if key.eq_ignore_ascii_case("secure") {
                c.secure = true;
            } else if key.eq_ignore_ascii_case("path") {
                if let Some(v) = value {
                    c.path = Some(v);
                }
            } else if key.eq_ignore_ascii_case("domain") {
                if let Some(v) = value.filter(|v| !v.is_empty()) {
                    c.domain = Some(v);
                }
            } else if key.eq_ignore_ascii_case("max-age") {
                if let Some(m) = value.and_then(parse_max_age) {
                    c.max_age = Some(m);
                }
            } else if key.eq_ignore_ascii_case("expires") {
                if let Some(t) = value.and_then(|v| httpdate::parse_http_date(v).ok()) {
                    c.expires = Some(t);
                }
            }
        }
        Some(c)
    }
}

/// RFC 6265 5.2.2: `-`? DIGIT+, or nothing usable.
fn parse_max_age(v: &str) -> Option<MaxAge> {
    let (negative, digits) = match v.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, v),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if negative {
        return Some(MaxAge::Expired);
    }
    match digits.parse::<u64>().unwrap_or(u64::MAX) {
        0 => Some(MaxAge::Expired),
        s => Some(MaxAge::Seconds(s)),
    }
}

/// RFC 6265 5.1.4: the default-path of a cookie set in answer to `request_path`.
fn default_path(request_path: &str) -> &str {
    if !request_path.starts_with('/') {
        return "/";
    }
    match request_path.rfind('/') {
        Some(i) if i > 0 => &request_path[..i],
        _ => "/",
    }
}

/// RFC 6265 5.1.4: whether `request_path` path-matches `cookie_path`.
fn path_matches(request_path: &str, cookie_path: &str) -> bool {
    match request_path.strip_prefix(cookie_path) {
        Some(rest) => rest.is_empty() || cookie_path.ends_with('/') || rest.starts_with('/'),
        None => false,
    }
}

/// The path a browser would see for a request target such as `/items/?q=1`: without the
/// query and fragment, with `.` and `..` segments resolved, `/` when empty. An absolute
/// target (`http://testserver/x`) counts when it is for `http://testserver`; one for any
/// other origin gives `None`, and the jar stays out of that request.
pub(super) fn request_path(target: &str) -> Option<String> {
    let target = match target.split_once("://") {
        Some((scheme, rest)) if !scheme.contains(['/', '?', '#']) => {
            if !scheme.eq_ignore_ascii_case("http") {
                return None;
            }
            let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
            let authority = &rest[..end];
            let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
            let (host, port) = host_port.split_once(':').unwrap_or((host_port, ""));
            if !host.eq_ignore_ascii_case(HOST) || !matches!(port, "" | "80") {
                return None;
            }
            &rest[end..]
        }
        _ => target,
    };
    let path = &target[..target.find(['?', '#']).unwrap_or(target.len())];
    Some(remove_dot_segments(path))
}

/// RFC 3986 5.2.4 on an absolute path (a relative one is taken from `/`), as the `url`
/// crate resolved it before (`%2e` counts as `.`).
fn remove_dot_segments(path: &str) -> String {
    let is_dot = |s: &str| s == "." || s.eq_ignore_ascii_case("%2e");
    let is_dot_dot = |s: &str| {
        matches!(s.len(), 2 | 4 | 6) && s.to_ascii_lowercase().replace("%2e", ".") == ".."
    };
    let path = path.strip_prefix('/').unwrap_or(path);
    let mut out: Vec<&str> = Vec::new();
    let mut segments = path.split('/').peekable();
    while let Some(seg) = segments.next() {
        let last = segments.peek().is_none();
        if is_dot(seg) {
            if last {
                out.push("");
            }
        } else if is_dot_dot(seg) {
            out.pop();
            if last {
                out.push("");
            }
        } else {
            out.push(seg);
        }
    }
    let mut s = String::with_capacity(path.len() + 1);
    for seg in out {
        s.push('/');
        s.push_str(seg);
    }
    if s.is_empty() {
        s.push('/');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t0() -> SystemTime {
        // 2025-01-01T00:00:00Z: a fixed clock, so dates in the tests are past or future.
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_735_689_600)
    }

    fn secs(n: u64) -> Duration {
        Duration::from_secs(n)
    }

    /// A jar that received each value for a request to `/`, at `t0`.
    fn jar(set: &[&str]) -> Jar {
        let mut j = Jar::default();
        for s in set {
            j.receive(s, "/", t0());
        }
        j
    }

    fn sent(j: &Jar, path: &str) -> String {
        j.cookie_header(path, t0())
    }

    fn names(j: &Jar) -> Vec<String> {
        j.unexpired(t0()).into_iter().map(|(k, _)| k).collect()
    }

    #[test]
    fn name_and_value() {
        let j = jar(&[
            "a=1",
            " b = two words ",
            "c=x=y",
            "d=",
            r#"e="quoted""#,
            "f=%20",
        ]);
        assert_eq!(
            sent(&j, "/"),
            r#"a=1; b=two words; c=x=y; d=; e="quoted"; f=%20"#
        );
        assert_eq!(
            j.unexpired(t0())[1],
            ("b".to_string(), "two words".to_string())
        );
    }

    #[test]
    fn values_without_a_pair_or_a_name_are_ignored() {
        let j = jar(&["", "novalue", "=x", " =x", ";a=1", "; Path=/", "=", ";;;"]);
        assert!(j.unexpired(t0()).is_empty());
        assert_eq!(sent(&j, "/"), "");
    }

    #[test]
    fn attribute_names_ignore_case_and_unknown_ones_are_ignored() {
        let j = jar(&[
            "a=1; PATH=/p; secure",
            "b=2; pAtH = /p ; HttpOnly; SameSite=Strict; Partitioned; Foo=bar; =; ;",
        ]);
        assert_eq!(sent(&j, "/p"), "b=2");
        assert_eq!(names(&j), ["a", "b"]);
    }

    #[test]
    fn http_only_and_same_site_are_accepted_and_ignored() {
        let j = jar(&[
            "a=1; HttpOnly",
            "b=2; SameSite=Lax",
            "c=3; SameSite=None",
            "d=4; SameSite=bogus; httponly=yes",
        ]);
        assert_eq!(sent(&j, "/"), "a=1; b=2; c=3; d=4");
    }

    #[test]
    fn default_path_is_the_request_directory() {
        assert_eq!(default_path("/"), "/");
        assert_eq!(default_path(""), "/");
        assert_eq!(default_path("login"), "/");
        assert_eq!(default_path("/login"), "/");
        assert_eq!(default_path("/a/b"), "/a");
        assert_eq!(default_path("/a/b/"), "/a/b");
        assert_eq!(default_path("/a/b/c"), "/a/b");
        assert_eq!(default_path("//"), "/");

        let mut j = Jar::default();
        j.receive("a=1", "/account/login", t0());
        assert_eq!(sent(&j, "/account"), "a=1");
        assert_eq!(sent(&j, "/account/x"), "a=1");
        assert_eq!(sent(&j, "/"), "");
        assert_eq!(sent(&j, "/accounts"), "");
    }

    #[test]
    fn a_path_not_starting_with_a_slash_is_the_default_path() {
        let mut j = Jar::default();
        j.receive("a=1; Path=admin", "/x/login", t0());
        j.receive("b=2; Path=", "/x/login", t0());
        j.receive("c=3; Path", "/x/login", t0());
        assert_eq!(sent(&j, "/x"), "a=1; b=2; c=3");
        assert_eq!(sent(&j, "/admin"), "");
    }

    #[test]
    fn the_last_path_wins() {
        let mut j = Jar::default();
        j.receive("a=1; Path=/one; Path=/two", "/", t0());
        j.receive("b=2; Path=/one; Path=bad", "/z/login", t0());
        assert_eq!(sent(&j, "/one"), "");
        assert_eq!(sent(&j, "/two/x"), "a=1");
        assert_eq!(
            sent(&j, "/z"),
            "b=2",
            "a last Path that is no path: default-path"
        );
    }

    #[test]
    fn path_match() {
        assert!(path_matches("/", "/"));
        assert!(path_matches("/anything", "/"));
        assert!(path_matches("/admin", "/admin"));
        assert!(path_matches("/admin/", "/admin"));
        assert!(path_matches("/admin/users", "/admin"));
        assert!(!path_matches("/administrator", "/admin"));
        assert!(!path_matches("/", "/admin"));
        assert!(path_matches("/admin/x", "/admin/"));
        assert!(!path_matches("/admin", "/admin/"));
        assert!(!path_matches("/Admin", "/admin"), "case matters");
    }

    #[test]
    fn max_age_positive_keeps_until_then() {
        let j = jar(&["a=1; Max-Age=60", "b=2; max-age = 3600 "]);
        assert_eq!(j.cookie_header("/", t0() + secs(59)), "a=1; b=2");
        assert_eq!(j.cookie_header("/", t0() + secs(60)), "b=2");
        assert!(j.unexpired(t0() + secs(3600)).is_empty());
    }

    #[test]
    fn max_age_zero_or_negative_deletes() {
        for del in ["0", "00", "-1", "-0", "-99999999999999999999999999"] {
            let mut j = jar(&["a=1", "b=2"]);
            j.receive(&format!("a=gone; Max-Age={del}"), "/", t0());
            assert_eq!(sent(&j, "/"), "b=2", "Max-Age={del}");
            assert_eq!(names(&j), ["b"]);
        }
        // A deletion for a cookie never stored stores nothing.
        let j = jar(&["z=1; Max-Age=0"]);
        assert!(j.unexpired(t0()).is_empty());
    }

    #[test]
    fn a_deletion_matches_name_and_path() {
        let mut j = Jar::default();
        j.receive("a=root; Path=/", "/", t0());
        j.receive("a=admin; Path=/admin", "/", t0());
        assert_eq!(sent(&j, "/admin"), "a=admin; a=root");
        j.receive("a=; Path=/admin; Max-Age=0", "/", t0());
        assert_eq!(sent(&j, "/admin"), "a=root");
        j.receive("a=admin; Path=/admin", "/", t0());
        // Without a Path, the deletion's path is the default-path of its request.
        j.receive("a=; Max-Age=0", "/admin/logout", t0());
        assert_eq!(sent(&j, "/admin"), "a=root");
        j.receive("a=; Max-Age=0", "/logout", t0());
        assert_eq!(sent(&j, "/admin"), "");
    }

    #[test]
    fn max_age_that_is_not_a_number_is_ignored() {
        for bad in ["", "-", "abc", "+5", "1.5", "5s", " -", "1 0", "--1", "٣"] {
            let j = jar(&[&format!("a=1; Max-Age={bad}"), "b=1; Max-Age"]);
            assert_eq!(
                j.cookie_header("/", t0() + secs(10_000_000_000)),
                "a=1; b=1",
                "Max-Age={bad:?} is ignored: a session cookie"
            );
        }
    }

    #[test]
    fn a_huge_max_age_never_expires() {
        let huge = format!("a=1; Max-Age={}", "9".repeat(10_000));
        let j = jar(&[&huge, "b=1; Max-Age=18446744073709551615"]);
        assert_eq!(j.cookie_header("/", t0() + secs(1 << 40)), "a=1; b=1");
    }

    #[test]
    fn expires() {
        let j = jar(&[
            "a=1; Expires=Wed, 01 Jan 2025 00:01:00 GMT",
            "b=2; expires=Thu, 01 Jan 2026 00:00:00 GMT",
            "c=3; Expires=Wednesday, 01-Jan-25 00:01:00 GMT",
            "d=4; Expires=Wed Jan  1 00:01:00 2025",
        ]);
        assert_eq!(sent(&j, "/"), "a=1; b=2; c=3; d=4");
        assert_eq!(j.cookie_header("/", t0() + secs(59)), "a=1; b=2; c=3; d=4");
        assert_eq!(j.cookie_header("/", t0() + secs(60)), "b=2");
    }

    #[test]
    fn expires_in_the_past_deletes() {
        let mut j = jar(&["a=1", "b=2"]);
        j.receive("a=; Expires=Thu, 01 Jan 1970 00:00:00 GMT", "/", t0());
        j.receive("b=; Expires=Tue, 31 Dec 2024 23:59:59 GMT", "/", t0());
        assert!(j.unexpired(t0()).is_empty());
        let j = jar(&["c=1; Expires=Thu, 01 Jan 1970 00:00:00 GMT"]);
        assert!(j.unexpired(t0()).is_empty());
    }

    #[test]
    fn a_bad_date_is_ignored() {
        for bad in [
            "",
            "tomorrow",
            "Wed, 32 Jan 2025 00:00:00 GMT",
            "Thu, 01 Jan 2025 00:00:00 GMT", // 2025-01-01 is a Wednesday
            "Wed, 01 Jan 2025 00:00:00 UTC",
            "Wed, 01 Jan 2025 24:00:00 GMT",
            "Wed, 31 Dec 1969 23:59:59 GMT", // httpdate reads 1970..=9999 only
            "Wed, 01 Jan 2025 00:00:00 GMT, and more",
            "Wéd, 01 Jan 2025 00:00:00 GMT",
            "99999999999999999999",
        ] {
            let j = jar(&[&format!("a=1; Expires={bad}")]);
            assert_eq!(
                j.cookie_header("/", t0() + secs(10_000_000_000)),
                "a=1",
                "Expires={bad:?} is ignored: a session cookie"
            );
        }
        let huge = format!("a=1; Expires={}", "Wed, ".repeat(100_000));
        assert_eq!(sent(&jar(&[&huge]), "/"), "a=1");
    }

    #[test]
    fn max_age_wins_over_expires() {
        let future = "Expires=Thu, 01 Jan 2026 00:00:00 GMT";
        let past = "Expires=Thu, 01 Jan 1970 00:00:00 GMT";
        let j = jar(&[
            &format!("a=1; Max-Age=0; {future}"),
            &format!("b=2; {future}; Max-Age=0"),
            &format!("c=3; Max-Age=60; {past}"),
            &format!("d=4; {past}; Max-Age=60"),
            &format!("e=5; Max-Age=bad; {past}"),
        ]);
        assert_eq!(sent(&j, "/"), "c=3; d=4");
        assert_eq!(j.cookie_header("/", t0() + secs(60)), "");
    }

    #[test]
    fn domain() {
        let j = jar(&[
            "a=1; Domain=testserver",
            "b=2; Domain=.testserver",
            "c=3; domain=TestServer",
            "d=4; Domain=",
            "e=5; Domain=.",
            "f=6; Domain=example.com",
            "g=7; Domain=sub.testserver",
            "h=8; Domain=testserver.",
            "i=9; Domain=..testserver",
            "j=10; Domain=localhost",
            "k=11; Domain=127.0.0.1",
            "l=12; Domain=example.com; Domain=testserver",
            "m=13; Domain=testserver; Domain=example.com",
            "n=14; Domain=example.com; Domain=",
        ]);
        assert_eq!(sent(&j, "/"), "a=1; b=2; c=3; d=4; e=5; l=12");
    }

    #[test]
    fn a_domain_cookie_and_a_host_cookie_of_one_name_are_one() {
        let j = jar(&["a=1", "a=2; Domain=testserver"]);
        assert_eq!(sent(&j, "/"), "a=2");
    }

    #[test]
    fn secure_cookies_are_kept_but_not_sent_over_http() {
        let j = jar(&["a=1; Secure", "b=2", "c=3; secure=no"]);
        assert_eq!(sent(&j, "/"), "b=2");
        assert_eq!(names(&j), ["a", "b", "c"]);
        // A later cookie of the same name and path replaces it, secure or not.
        let mut j = j;
        j.receive("a=open", "/", t0());
        assert_eq!(sent(&j, "/"), "a=open; b=2");
    }

    #[test]
    fn same_name_and_path_replaces_in_place() {
        let mut j = jar(&["a=1", "b=2", "c=3"]);
        j.receive("a=new", "/", t0());
        assert_eq!(sent(&j, "/"), "a=new; b=2; c=3");
        // Same name, other path: a second cookie.
        j.receive("a=deep; Path=/x", "/", t0());
        assert_eq!(sent(&j, "/x"), "a=deep; a=new; b=2; c=3");
        assert_eq!(names(&j), ["a", "b", "c", "a"]);
        // Replacing changes the expiry too.
        j.receive("b=short; Max-Age=5", "/", t0());
        assert_eq!(j.cookie_header("/", t0() + secs(5)), "a=new; c=3");
    }

    #[test]
    fn longer_paths_first_then_creation_order() {
        let mut j = Jar::default();
        for s in [
            "r1=1; Path=/",
            "ab=1; Path=/a/b",
            "a1=1; Path=/a",
            "r2=1",
            "a2=1; Path=/a/",
            "ab2=1; Path=/a/b",
            "abc=1; Path=/a/b/c",
        ] {
            j.receive(s, "/", t0());
        }
        assert_eq!(
            sent(&j, "/a/b/c"),
            "abc=1; ab=1; ab2=1; a2=1; a1=1; r1=1; r2=1"
        );
        assert_eq!(sent(&j, "/a/b"), "ab=1; ab2=1; a2=1; a1=1; r1=1; r2=1");
        assert_eq!(sent(&j, "/a"), "a1=1; r1=1; r2=1");
        assert_eq!(sent(&j, "/b"), "r1=1; r2=1");
    }

    #[test]
    fn expired_cookies_are_left_out_at_lookup_and_dropped_later() {
        let mut j = jar(&["a=1; Max-Age=1", "b=2"]);
        let later = t0() + secs(1);
        assert_eq!(j.cookie_header("/", later), "b=2");
        assert_eq!(j.unexpired(later), [("b".into(), "2".into())]);
        assert_eq!(j.cookies.len(), 2);
        j.receive("c=3", "/", later);
        assert_eq!(
            j.cookies.len(),
            2,
            "the expired one is dropped on the next store"
        );
        // An expired cookie does not block a new one of its name.
        j.receive("a=again", "/", later);
        assert_eq!(j.cookie_header("/", later), "b=2; c=3; a=again");
    }

    #[test]
    fn request_paths() {
        let p = |t: &str| request_path(t);
        assert_eq!(p("/").as_deref(), Some("/"));
        assert_eq!(p("").as_deref(), Some("/"));
        assert_eq!(p("?x=1").as_deref(), Some("/"));
        assert_eq!(p("items").as_deref(), Some("/items"));
        assert_eq!(p("/a/b?x=/c#f").as_deref(), Some("/a/b"));
        assert_eq!(p("/a/b#f?x").as_deref(), Some("/a/b"));
        assert_eq!(p("/a/b/").as_deref(), Some("/a/b/"));
        assert_eq!(p("/a//b").as_deref(), Some("/a//b"));
        assert_eq!(p("/a/./b/../c").as_deref(), Some("/a/c"));
        assert_eq!(p("/a/b/..").as_deref(), Some("/a/"));
        assert_eq!(p("/a/.").as_deref(), Some("/a/"));
        assert_eq!(p("/../../x").as_deref(), Some("/x"));
        assert_eq!(p("/a/%2e%2E/b/%2e").as_deref(), Some("/b/"));
        assert_eq!(p("/a/...").as_deref(), Some("/a/..."));
        assert_eq!(p("/redirect?to=http://x/").as_deref(), Some("/redirect"));
        assert_eq!(p("http://testserver/x?y").as_deref(), Some("/x"));
        assert_eq!(p("HTTP://TESTSERVER:80").as_deref(), Some("/"));
        assert_eq!(p("http://u@testserver/x").as_deref(), Some("/x"));
        assert_eq!(p("http://other/x"), None);
        assert_eq!(p("http://testserver:8080/x"), None);
        assert_eq!(p("https://testserver/x"), None);
    }

    #[test]
    fn hostile_values() {
        // Huge name and value: kept and sent back whole.
        let big = "v".repeat(1 << 20);
        let j = jar(&[&format!("{}={big}", "n".repeat(10_000))]);
        assert_eq!(sent(&j, "/").len(), 10_000 + 1 + (1 << 20));
        // Only separators and equals signs.
        let j = jar(&[
            &";".repeat(100_000),
            &"=".repeat(100_000),
            &"=;".repeat(50_000),
        ]);
        assert!(j.unexpired(t0()).is_empty());
        // Many attributes.
        let j = jar(&[&format!("a=1{}", "; Path=/x".repeat(10_000))]);
        assert_eq!(sent(&j, "/x"), "a=1");
        // Unicode and control characters are text like any other.
        let j = jar(&["名前=値; Path=/ü", "a=\u{1}"]);
        assert_eq!(sent(&j, "/ü"), "名前=値; a=\u{1}");
        // No '=' in the pair, but '=' in an attribute.
        assert!(jar(&["novalue; Path=/"]).unexpired(t0()).is_empty());
    }

    #[test]
    fn a_thousand_cookies() {
        let mut j = Jar::default();
        for i in 0..1_000 {
            j.receive(&format!("c{i}={i}; Path=/"), "/", t0());
        }
        for i in (0..1_000).step_by(2) {
            j.receive(&format!("c{i}=again"), "/", t0());
        }
        let line = sent(&j, "/");
        let pairs: Vec<&str> = line.split("; ").collect();
        assert_eq!(pairs.len(), 1_000);
        assert_eq!(pairs[0], "c0=again");
        assert_eq!(pairs[1], "c1=1");
        assert_eq!(pairs[999], "c999=999");
        for i in 0..1_000 {
            j.receive(&format!("c{i}=; Max-Age=0"), "/", t0());
        }
        assert!(j.unexpired(t0()).is_empty());
    }
}
