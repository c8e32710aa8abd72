use ferrapi::prelude::*;

#[model]
struct Cat {
    #[field(literal = "cat")]
    kind: String,
}

#[model(discriminator = "kind")]
enum Pet {
    Cat(Cat),
    Dog { name: String },
}

fn main() {}
