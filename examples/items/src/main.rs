//! `cargo run -p items`: serves the items example on 127.0.0.1:8000 (docs at /docs).

fn main() {
    items::app().run();
}
