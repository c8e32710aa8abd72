//! The version numbers of an API and the ranges routes declare.

use std::fmt;
use std::ops::{Bound, RangeBounds};
use std::str::FromStr;

/// A version of an API, `MAJOR.MINOR.PATCH` as semver spells it (no pre-release or build
/// part). Versions order by major, then minor, then patch.
///
/// ```
/// use ferrapi::versioning::Version;
///
/// let v: Version = "1.2.0".parse().unwrap();
/// assert_eq!(v, Version::new(1, 2, 0));
/// assert!(v < Version::new(2, 0, 0));
/// assert_eq!(v.to_string(), "1.2.0");
/// assert!("1.2".parse::<Version>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version {
    /// Incremented by changes that break clients.
    pub major: u64,
    /// Incremented by compatible additions.
    pub minor: u64,
    /// Incremented by fixes.
    pub patch: u64,
}

impl Version {
    /// The version `major.minor.patch`.
    pub const fn new(major: u64, minor: u64, patch: u64) -> Self {
        Version {
            major,
            minor,
            patch,
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

/// Why a text is not a [`Version`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionError(String);

impl fmt::Display for VersionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for VersionError {}

impl FromStr for Version {
    type Err = VersionError;

    /// Reads `MAJOR.MINOR.PATCH`: three decimal numbers without leading zeros, as semver
    /// requires.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || {
            VersionError(format!(
                "`{}` is not a version: write MAJOR.MINOR.PATCH, such as `1.0.0`",
                s.escape_debug()
            ))
        };
        let parts: Vec<&str> = s.split('.').collect();
        if parts.len() != 3 {
            return Err(bad());
        }
        let mut n = [0u64; 3];
        for (slot, part) in n.iter_mut().zip(&parts) {
            *slot = number(part).ok_or_else(bad)?;
        }
        Ok(Version::new(n[0], n[1], n[2]))
    }
}

/// A semver number: digits, no sign, no leading zero (except `0` itself).
pub(crate) fn number(s: &str) -> Option<u64> {
    let digits = !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits || (s.len() > 1 && s.starts_with('0')) {
        return None;
    }
    s.parse().ok()
}

/// The versions a route exists in: from the version that introduced it (included) until
/// the one that removed it (excluded), either end open. Written in a route attribute as
/// `versions = "1.0.0".."2.0.0"`, `versions = "2.0.0"..` or `versions = .."2.0.0"`; a
/// route without it exists in every version the app serves.
///
/// ```
/// use ferrapi::versioning::{Version, Versions};
///
/// let v1_only = Versions::parse("1.0.0".."2.0.0").unwrap();
/// assert!(v1_only.contains(&Version::new(1, 5, 0)));
/// assert!(!v1_only.contains(&Version::new(2, 0, 0)));
/// assert_eq!(v1_only.to_string(), "1.0.0..2.0.0");
/// assert!(Versions::ALL.contains(&Version::new(7, 0, 0)));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Versions {
    /// The first version the route exists in (`None`: every version before `until`).
    pub from: Option<Version>,
    /// The first version it no longer exists in (`None`: every version from `from` on).
    pub until: Option<Version>,
}

impl Default for Versions {
    fn default() -> Self {
        Versions::ALL
    }
}

impl Versions {
    /// Every version.
    pub const ALL: Versions = Versions {
        from: None,
        until: None,
    };

    /// The versions from `from` (included) until `until` (excluded).
    pub const fn between(from: Option<Version>, until: Option<Version>) -> Self {
        Versions { from, until }
    }

    /// Reads a range written as in a route attribute: `"1.0.0".."2.0.0"`, `"2.0.0"..`,
    /// `.."2.0.0"` or `..`. The end is excluded (`..=` is refused), and the start must
    /// come before it.
    pub fn parse<'a>(range: impl RangeBounds<&'a str>) -> Result<Self, VersionError> {
        let from = match range.start_bound() {
            Bound::Included(s) => Some(s.parse::<Version>()?),
            Bound::Excluded(_) | Bound::Unbounded => None,
        };
        let until = match range.end_bound() {
            Bound::Excluded(s) => Some(s.parse::<Version>()?),
            Bound::Included(s) => {
                return Err(VersionError(format!(
                    "`..=\"{s}\"`: the end of a version range is the version that removed the route, excluded; write `..\"{s}\"` with the version after the last one it exists in"
                )))
            }
            Bound::Unbounded => None,
        };
        let r = Versions { from, until };
        if r.is_empty() {
            return Err(VersionError(format!(
                "the range {r} is empty: its start must come before its end"
            )));
        }
        Ok(r)
    }

    /// Whether `version` is in the range.
    pub fn contains(&self, version: &Version) -> bool {
        self.from.is_none_or(|f| *version >= f) && self.until.is_none_or(|u| *version < u)
    }

    /// Whether this is every version.
    pub fn is_all(&self) -> bool {
        self.from.is_none() && self.until.is_none()
    }

    /// Whether no version is in the range.
    pub fn is_empty(&self) -> bool {
        matches!((self.from, self.until), (Some(f), Some(u)) if f >= u)
    }

    /// The versions in both ranges (a route's own range inside its router's).
    pub fn intersect(&self, other: &Versions) -> Versions {
        let from = match (self.from, other.from) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        let until = match (self.until, other.until) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        Versions { from, until }
    }
}

impl fmt::Display for Versions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(from) = self.from {
            write!(f, "{from}")?;
        }
        f.write_str("..")?;
        if let Some(until) = self.until {
            write!(f, "{until}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_read_as_semver() {
        assert_eq!("0.1.10".parse(), Ok(Version::new(0, 1, 10)));
        for bad in [
            "",
            "1",
            "1.0",
            "1.0.0.0",
            "01.0.0",
            "1.0.0-beta",
            "v1.0.0",
            " 1.0.0",
            "1..0",
        ] {
            assert!(bad.parse::<Version>().is_err(), "{bad:?}");
        }
        assert!("99999999999999999999999.0.0".parse::<Version>().is_err());
    }

    #[test]
    fn ranges() {
        let v = |s: &str| s.parse::<Version>().unwrap();
        let r = Versions::parse("1.0.0".."2.0.0").unwrap();
        assert!(r.contains(&v("1.0.0")) && r.contains(&v("1.9.9")));
        assert!(!r.contains(&v("0.9.0")) && !r.contains(&v("2.0.0")));
        let from = Versions::parse("2.0.0"..).unwrap();
        assert!(from.contains(&v("3.0.0")) && !from.contains(&v("1.0.0")));
        let to = Versions::parse(.."2.0.0").unwrap();
        assert!(to.contains(&v("0.1.0")) && !to.contains(&v("2.0.0")));
        assert_eq!(Versions::parse(..), Ok(Versions::ALL));
        assert!(Versions::parse("2.0.0".."1.0.0").is_err());
        assert!(Versions::parse("1.0.0"..="2.0.0").is_err());
        assert!(Versions::parse("1.0"..).is_err());
        assert_eq!(
            from.intersect(&to),
            Versions::between(Some(v("2.0.0")), Some(v("2.0.0")))
        );
        assert!(from.intersect(&to).is_empty());
        assert_eq!(r.intersect(&Versions::ALL), r);
        assert_eq!(to.to_string(), "..2.0.0");
        assert_eq!(from.to_string(), "2.0.0..");
    }
}
