//! Which constraint options apply to which types, checked when the code compiles.
//!
//! For each constraint option written on a parameter or a model field, the macros emit
//! `<T as NumberConstraint<InParam>>::APPLIES` (or the length / pattern trait, `InField` for
//! model fields), spanned at the option's name. Without it, `#[field(min_length = 1)]` on
//! an `f64` compiled and was never checked. The two contexts differ where the run-time
//! checks differ: a list parameter (`Vec<i64>`) applies number and pattern constraints to
//! each item, a model field does not.

use std::collections::{BTreeSet, HashSet};

/// Marks a constraint on a path, query, header or cookie parameter.
pub enum InParam {}
/// Marks a constraint on a `#[model]` field.
pub enum InField {}

/// Types that take `ge`, `gt`, `le`, `lt` and `multiple_of`.
#[diagnostic::on_unimplemented(
    message = "`ge`, `gt`, `le`, `lt` and `multiple_of` apply to numbers, not to `{Self}`",
    label = "this constraint does not apply to `{Self}`",
    note = "strings, lists and sets take `min_length` / `max_length`, strings take `pattern`"
)]
pub trait NumberConstraint<C> {
    /// Names the bound.
    const APPLIES: () = ();
}

/// Types that take `max_digits` and `decimal_places`: decimals.
#[diagnostic::on_unimplemented(
    message = "`max_digits` and `decimal_places` apply to decimals (`ferrapi::Decimal`), not to `{Self}`",
    label = "this constraint does not apply to `{Self}`",
    note = "numbers take `ge`, `gt`, `le`, `lt` and `multiple_of`"
)]
pub trait DigitsConstraint<C> {
    /// Names the bound.
    const APPLIES: () = ();
}

#[cfg(feature = "decimal")]
impl<C> DigitsConstraint<C> for rust_decimal::Decimal {}
#[cfg(feature = "decimal")]
impl<C> DigitsConstraint<C> for Option<rust_decimal::Decimal> {}
#[cfg(feature = "decimal")]
impl<C> Number<C> for rust_decimal::Decimal {}

/// Types that take `min_length` and `max_length` (or their aliases `min_items`, `max_items`).
#[diagnostic::on_unimplemented(
    message = "`min_length` and `max_length` apply to strings, lists and sets, not to `{Self}`",
    label = "this constraint does not apply to `{Self}`",
    note = "numbers take `ge`, `gt`, `le`, `lt` and `multiple_of`"
)]
pub trait LengthConstraint<C> {
    /// Names the bound.
    const APPLIES: () = ();
}

/// Types that take `pattern`.
#[diagnostic::on_unimplemented(
    message = "`pattern` applies to strings, not to `{Self}`",
    label = "this constraint does not apply to `{Self}`",
    note = "numbers take `ge`, `gt`, `le`, `lt` and `multiple_of`; a string enum is a `#[derive(ParamEnum)]` enum"
)]
pub trait PatternConstraint<C> {
    /// Names the bound.
    const APPLIES: () = ();
}

/// The types behind [`NumberConstraint`], [`LengthConstraint`] and [`PatternConstraint`]:
/// those traits are implemented through these, with `do_not_recommend`, so that an error
/// shows their message alone rather than a list of every implementing type.
pub trait Number<C> {}
/// See [`Number`].
pub trait Length<C> {}
/// See [`Number`].
pub trait Text<C> {}

#[diagnostic::do_not_recommend]
impl<C, T: Number<C>> NumberConstraint<C> for T {}
#[diagnostic::do_not_recommend]
impl<C, T: Length<C>> LengthConstraint<C> for T {}
#[diagnostic::do_not_recommend]
impl<C, T: Text<C>> PatternConstraint<C> for T {}

macro_rules! numbers {
    ($($t:ty),*) => {$(impl<C> Number<C> for $t {})*};
}
numbers!(i8, i16, i32, i64, isize, u8, u16, u32, u64, usize, f32, f64);
// Parameters parse 128-bit integers; model fields check constraints on the others only.
impl Number<InParam> for i128 {}
impl Number<InParam> for u128 {}
impl<C, T: Number<C>> Number<C> for Option<T> {}
impl<T: Number<InParam>> Number<InParam> for Vec<T> {}

impl<C> Length<C> for String {}
impl<C, T> Length<C> for Vec<T> {}
impl<C, T: Length<C>> Length<C> for Option<T> {}
impl<T, S> Length<InField> for HashSet<T, S> {}
impl<T> Length<InField> for BTreeSet<T> {}

impl<C> Text<C> for String {}
impl<C, T: Text<C>> Text<C> for Option<T> {}
impl<T: Text<InParam>> Text<InParam> for Vec<T> {}
