use ferrapi::prelude::*;

struct NotADependency;

#[get("/items/", dependencies = [NotADependency])]
async fn read_items() -> String {
    String::new()
}

fn main() {}
