//! Replays every saved fuzz input (`fuzz/seeds/<target>/*`, and the crashes kept in
//! `fuzz/regressions/<target>/*`) through its target's body, then a few thousand
//! deterministic mutations of the seeds: the fuzz targets' checks run on every
//! `cargo test`, not only when cargo-fuzz is installed.

use std::path::Path;

use ferrapi_tests::fuzzing::TARGETS;

fn inputs(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<_> = entries
        .filter_map(Result::ok)
        .filter(|e| e.path().is_file())
        .map(|e| {
            let path = e.path();
            (path.display().to_string(), std::fs::read(&path).unwrap())
        })
        .collect();
    out.sort();
    out
}

/// A small xorshift generator: the same mutations on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const INTERESTING: &[&[u8]] = &[
    b"%",
    b"%ff",
    b"%00",
    b"&",
    b"=",
    b"\"",
    b"{",
    b"}",
    b"[",
    b"]",
    b"\\u0000",
    b"\r\n",
    b"--XyZ",
    b"1e999",
    b"-0",
    b"99999999999999999999999",
    b"null",
    b"\xff",
    b".",
];

fn mutate(rng: &mut Rng, seed: &[u8]) -> Vec<u8> {
    let mut data = seed.to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(data.len() + 1);
        match rng.below(4) {
            0 if !data.is_empty() => {
                let end = (at + rng.below(8)).min(data.len());
                data.drain(at.min(end)..end);
            }
            1 => {
                let piece = INTERESTING[rng.below(INTERESTING.len())];
                data.splice(at..at, piece.iter().copied());
            }
            2 if !data.is_empty() => {
                let i = rng.below(data.len());
                data[i] = rng.next() as u8;
            }
            _ => {
                let from = rng.below(data.len());
                let end = (from + rng.below(16)).min(data.len());
                let copy: Vec<u8> = data[from..end].to_vec();
                data.splice(at..at, copy);
            }
        }
    }
    data
}

#[test]
fn saved_inputs_and_their_mutations_pass_every_target() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz");
    let mut rng = Rng(0x5eed_f00d_dead_beef);
    for (name, target) in TARGETS {
        let seeds = inputs(&root.join("seeds").join(name));
        assert!(!seeds.is_empty(), "no seeds for {name}");
        for (file, data) in seeds
            .iter()
            .chain(&inputs(&root.join("regressions").join(name)))
        {
            let result = std::panic::catch_unwind(|| target(data));
            assert!(result.is_ok(), "{name}: {file} fails");
        }
        for _ in 0..2000 {
            let (_, seed) = &seeds[rng.below(seeds.len())];
            let data = mutate(&mut rng, seed);
            let result = std::panic::catch_unwind(|| target(&data));
            assert!(
                result.is_ok(),
                "{name}: fails on {:?}",
                String::from_utf8_lossy(&data)
            );
        }
    }
}
