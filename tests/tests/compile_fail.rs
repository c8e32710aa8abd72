//! Compile-fail tests: each `tests/ui/NAME.rs` is a mistake a user can make with the route
//! macros, `#[model]` or `#[derive(ParamEnum)]`, and `NAME.stderr` pins the error the
//! compiler shows for it. A change to a message is a change to this file's snapshots:
//! regenerate them with `TRYBUILD=overwrite cargo test -p ferrapi-tests --test compile_fail`
//! and read the diff.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}
