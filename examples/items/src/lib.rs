//! The items example: FastAPI's first tutorial endpoint plus an in-memory CRUD on a
//! constrained item model.
//!
//! Run it with `cargo run -p items`; it serves on 127.0.0.1:8000 with Swagger UI at /docs.

use std::collections::BTreeMap;
use std::sync::{Arc, RwLock};

use ferrapi::prelude::*;

pub mod versioned;

/// An item as stored and returned.
#[model]
#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    /// The item's id, assigned by the server.
    pub id: i64,
    /// A short name.
    #[field(min_length = 1, max_length = 50)]
    pub name: String,
    /// An optional description.
    #[field(max_length = 300)]
    pub description: Option<String>,
    /// Unit price in euros.
    #[field(gt = 0, le = 1000000)]
    pub price: f64,
    /// Free-form labels.
    #[field(max_items = 10, default)]
    pub tags: Vec<String>,
}

/// The body of `POST /items/` and `PUT /items/{item_id}`.
#[model]
#[derive(Clone, Debug)]
pub struct NewItem {
    /// A short name.
    #[field(min_length = 1, max_length = 50, example = "Hammer")]
    pub name: String,
    /// An optional description.
    #[field(max_length = 300)]
    pub description: Option<String>,
    /// Unit price in euros.
    #[field(gt = 0, le = 1000000, example = 12.5)]
    pub price: f64,
    /// Free-form labels.
    #[field(max_items = 10, default)]
    pub tags: Vec<String>,
}

/// The answer of `GET /items/`: the page that was asked for.
#[model]
pub struct PageParams {
    /// How many items to skip.
    pub skip: i64,
    /// How many items to return at most.
    pub limit: i64,
}

/// The in-memory store.
#[derive(Clone, Default)]
pub struct Store {
    inner: Arc<RwLock<StoreInner>>,
}

#[derive(Default)]
struct StoreInner {
    next_id: i64,
    items: BTreeMap<i64, Item>,
}

impl Store {
    fn insert(&self, new: NewItem) -> Item {
        let mut s = self.inner.write().expect("store lock");
        s.next_id += 1;
        let item = Item {
            id: s.next_id,
            name: new.name,
            description: new.description,
            price: new.price,
            tags: new.tags,
        };
        s.items.insert(item.id, item.clone());
        item
    }
}

/// Read items
///
/// FastAPI's first example: echoes the page that was asked for.
#[get("/items/", tags = ["items"])]
pub async fn read_items(
    #[query(default = 0, ge = 0, description = "How many items to skip")] skip: i64,
    #[query(
        default = 10,
        ge = 1,
        le = 100,
        description = "How many items to return"
    )]
    limit: i64,
) -> Json<PageParams> {
    Json(PageParams { skip, limit })
}

/// List stored items
#[get("/items/all", tags = ["items"])]
pub async fn list_items(
    store: State<Store>,
    #[query(default = 0, ge = 0)] skip: usize,
    #[query(default = 10, ge = 1, le = 100)] limit: usize,
    #[query(min_length = 1)] q: Option<String>,
) -> Json<Vec<Item>> {
    let s = store.inner.read().expect("store lock");
    let items = s
        .items
        .values()
        .filter(|i| {
            q.as_deref()
                .map(|q| i.name.to_lowercase().contains(&q.to_lowercase()))
                .unwrap_or(true)
        })
        .skip(skip)
        .take(limit)
        .cloned()
        .collect();
    Json(items)
}

/// Create an item
#[post("/items/", status = 201, tags = ["items"])]
pub async fn create_item(store: State<Store>, item: Json<NewItem>) -> Json<Item> {
    Json(store.insert(item.0))
}

/// Read one item
#[get("/items/{item_id}", tags = ["items"], responses(404 = HttpError))]
pub async fn read_item(
    store: State<Store>,
    #[path(ge = 1)] item_id: i64,
) -> Result<Json<Item>, HttpError> {
    let s = store.inner.read().expect("store lock");
    s.items
        .get(&item_id)
        .cloned()
        .map(Json)
        .ok_or_else(|| HttpError::not_found("Item not found"))
}

/// Replace an item
#[put("/items/{item_id}", tags = ["items"], responses(404 = HttpError))]
pub async fn update_item(
    store: State<Store>,
    item_id: i64,
    item: Json<NewItem>,
) -> Result<Json<Item>, HttpError> {
    let mut s = store.inner.write().expect("store lock");
    let Some(existing) = s.items.get_mut(&item_id) else {
        return Err(HttpError::not_found("Item not found"));
    };
    let new = item.0;
    *existing = Item {
        id: item_id,
        name: new.name,
        description: new.description,
        price: new.price,
        tags: new.tags,
    };
    Ok(Json(existing.clone()))
}

/// Delete an item
#[delete("/items/{item_id}", tags = ["items"], responses(404 = HttpError))]
pub async fn delete_item(store: State<Store>, item_id: i64) -> Result<NoContent, HttpError> {
    let mut s = store.inner.write().expect("store lock");
    match s.items.remove(&item_id) {
        Some(_) => Ok(NoContent),
        None => Err(HttpError::not_found("Item not found")),
    }
}

/// The items app.
pub fn app() -> App {
    App::new()
        .title("Items")
        .version("1.0.0")
        .description("FastAPI's items tutorial, in ferrapi.")
        .state(Store::default())
        .routes(routes![
            read_items,
            list_items,
            create_item,
            read_item,
            update_item,
            delete_item
        ])
}
