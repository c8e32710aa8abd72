//! `cargo run -p chat`: serves the chat example on 127.0.0.1:8000.

fn main() {
    chat::app().run();
}
