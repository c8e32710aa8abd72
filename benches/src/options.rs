//! The benchmark modes' numeric options (`--duration 10`).

/// Reads `--name N` pairs into the slots named after them; panics on an unknown option or
/// a value that is not a number.
pub(crate) fn numbers(v: &[String], slots: &mut [(&str, &mut u64)]) {
    for pair in v.chunks(2) {
        let n = pair
            .get(1)
            .and_then(|n| n.parse().ok())
            .expect("a number after the option");
        match slots.iter_mut().find(|(name, _)| *name == pair[0]) {
            Some((_, slot)) => **slot = n,
            None => panic!("unknown option {}", pair[0]),
        }
    }
}
