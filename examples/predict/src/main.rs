//! `cargo run -p predict`: trains the iris classifier, then serves it on 127.0.0.1:8000
//! (docs at /docs).

fn main() {
    predict::app().run();
}
