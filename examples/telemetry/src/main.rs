//! `cargo run -p telemetry`: serves the telemetry example on 127.0.0.1:8000 (docs at /docs).
//! The database comes from `DATABASE_URL` (default `sqlite://telemetry.db`).

fn main() {
    telemetry::app().run();
}
