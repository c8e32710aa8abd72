use ferrapi::prelude::*;

#[model(discriminatr = "kind")]
enum Pet {
    Cat { lives: u8 },
}

fn main() {}
