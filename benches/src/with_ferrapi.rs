//! The two endpoints written with ferrapi.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use ferrapi::prelude::*;

#[model]
pub(crate) struct Page {
    pub skip: i64,
    pub limit: i64,
}

#[model]
pub(crate) struct NewItem {
    #[field(min_length = 1, max_length = 50)]
    pub name: String,
    #[field(max_length = 300)]
    pub description: Option<String>,
    #[field(gt = 0, le = 1000000)]
    pub price: f64,
    #[field(max_items = 10, default)]
    pub tags: Vec<String>,
}

#[model]
pub(crate) struct Item {
    pub id: i64,
    pub name: String,
    pub description: Option<String>,
    pub price: f64,
    pub tags: Vec<String>,
}

#[derive(Clone, Default)]
pub(crate) struct Ids(Arc<AtomicI64>);

#[get("/items/")]
async fn read_items(
    #[query(default = 0, ge = 0)] skip: i64,
    #[query(default = 10, ge = 1, le = 100)] limit: i64,
) -> Json<Page> {
    Json(Page { skip, limit })
}

#[post("/items/", status = 201)]
async fn create_item(ids: State<Ids>, item: Json<NewItem>) -> Json<Item> {
    let NewItem {
        name,
        description,
        price,
        tags,
    } = item.0;
    Json(Item {
        id: ids.0 .0.fetch_add(1, Ordering::Relaxed) + 1,
        name,
        description,
        price,
        tags,
    })
}

pub(crate) fn app() -> App {
    App::new()
        .state(Ids::default())
        .routes(routes![read_items, create_item])
}
