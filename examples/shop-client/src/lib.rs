//! A typed Rust client of the shop example, generated at build time by
//! [progenitor](https://github.com/oxidecomputer/progenitor) from the shop's OpenAPI 3.0
//! document. It proves that ferrapi's documents are good enough for a real generator: the
//! tests drive the running shop with it (log in, list products, order, read the order back).
#![allow(missing_docs, clippy::all, unused)]

include!(concat!(env!("OUT_DIR"), "/codegen.rs"));
