use ferrapi::prelude::*;

#[derive(ParamEnum)]
enum Size {
    Small,
    Custom(u32),
    Box { width: u32, height: u32 },
}

fn main() {}
