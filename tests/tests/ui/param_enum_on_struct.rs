use ferrapi::prelude::*;

#[derive(ParamEnum)]
struct Size {
    name: String,
}

fn main() {}
