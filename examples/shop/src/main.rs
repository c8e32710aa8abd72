//! `cargo run -p shop`: serves the shop on 127.0.0.1:8000 with Swagger UI at /docs, on
//! `sqlite://shop.db` (created, migrated and seeded on start-up) unless `DATABASE_URL` says
//! otherwise.

fn main() {
    shop::app().run();
}
