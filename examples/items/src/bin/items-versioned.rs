//! `cargo run -p items --bin items-versioned`: the items example in versions 1.0.0 and
//! 2.0.0 on 127.0.0.1:8000 (docs with a version picker at /docs).

fn main() {
    items::versioned::app().run();
}
