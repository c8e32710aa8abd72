use ferrapi::prelude::*;

#[derive(serde::Serialize, ToSchema)]
struct Item {
    #[schema(minimun = 1)]
    count: u32,
}

fn main() {}
