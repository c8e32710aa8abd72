#![no_main]
//! Fuzzes `ferrapi_tests::fuzzing::query`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = ferrapi_tests::fuzzing::query(data);
});
