use ferrapi::prelude::*;

#[model]
struct Item {
    #[field(min_length = 1)]
    price: f64,
    #[field(ge = 0)]
    name: String,
}

fn main() {}
