use ferrapi::prelude::*;

#[model]
struct Cat {
    #[field(literal = "cat")]
    kind: String,
}

#[model]
struct Dog {
    name: String,
}

#[model(discriminator = "kind")]
enum Pet {
    Cat(Cat),
    Dog(Dog),
}

fn main() {}
