//! `cargo run -p auth`: serves the auth example on 127.0.0.1:8000 (docs at /docs).

fn main() {
    auth::app().run();
}
