use ferrapi::prelude::*;

#[model]
#[serde(tag = "type")]
enum Reading {
    Temperature {
        #[field(max_length = 3)]
        celsius: f64,
    },
}

fn main() {}
