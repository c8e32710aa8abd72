//! The benchmark's endpoints written with ferrapi, as its guide shows.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use ferrapi::prelude::*;

#[model]
pub(crate) struct Page {
    pub skip: i64,
    pub limit: i64,
}

/// E2's body: typed, no constraints.
#[model]
pub(crate) struct NewItem {
    pub name: String,
    pub price: f64,
    pub tags: Vec<String>,
}

/// The constrained variant's body.
#[model]
pub(crate) struct NewCheckedItem {
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
    pub price: f64,
    pub tags: Vec<String>,
}

#[model]
pub(crate) struct CheckedItem {
    pub id: i64,
    pub name: String,
    pub description: Option<String>,
    pub price: f64,
    pub tags: Vec<String>,
}

/// One reading of E3's batch.
#[model]
pub(crate) struct Reading {
    pub sensor: String,
    pub value: f64,
    pub ts: i64,
}

#[model]
pub(crate) struct BatchSummary {
    pub accepted: usize,
    pub max: f64,
}

#[derive(Clone, Default)]
pub(crate) struct Ids(Arc<AtomicI64>);

impl Ids {
    fn next(&self) -> i64 {
        self.0.fetch_add(1, Ordering::Relaxed) + 1
    }
}

/// E1.
#[get("/items/")]
async fn read_items(
    #[query(default = 0)] skip: i64,
    #[query(default = 10)] limit: i64,
) -> Json<Page> {
    Json(Page { skip, limit })
}

/// E1, constrained.
#[get("/checked/items/")]
async fn read_checked_items(
    #[query(default = 0, ge = 0)] skip: i64,
    #[query(default = 10, ge = 1, le = 100)] limit: i64,
) -> Json<Page> {
    Json(Page { skip, limit })
}

/// E2.
#[post("/items/", status = 201)]
async fn create_item(ids: State<Ids>, item: Json<NewItem>) -> Json<Item> {
    let NewItem { name, price, tags } = item.0;
    Json(Item {
        id: ids.next(),
        name,
        price,
        tags,
    })
}

/// E2, constrained.
#[post("/checked/items/", status = 201)]
async fn create_checked_item(ids: State<Ids>, item: Json<NewCheckedItem>) -> Json<CheckedItem> {
    let NewCheckedItem {
        name,
        description,
        price,
        tags,
    } = item.0;
    Json(CheckedItem {
        id: ids.next(),
        name,
        description,
        price,
        tags,
    })
}

/// E3.
#[post("/readings/")]
async fn ingest(readings: Json<Vec<Reading>>) -> Json<BatchSummary> {
    Json(BatchSummary {
        accepted: readings.len(),
        max: readings.iter().map(|r| r.value).fold(f64::MIN, f64::max),
    })
}

pub(crate) fn app() -> App {
    App::new().state(Ids::default()).routes(routes![
        read_items,
        read_checked_items,
        create_item,
        create_checked_item,
        ingest
    ])
}
