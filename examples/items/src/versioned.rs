//! The items API in two versions. Version 2.0.0 made two breaking changes:
//!
//! - an item's `price` became an object with its currency (`{"amount": 12.5, "currency":
//!   "EUR"}`) instead of a number of euros;
//! - FastAPI's echo endpoint `GET /items/` is gone.
//!
//! Version 1's routes are the ones of [`crate::app`], unchanged; version 2 adds its own
//! `read_item` and `create_item`, which reuse version 1's handlers and convert the item
//! (nothing is copied). `delete_item` is the same in both. Run it with
//! `cargo run -p items --bin items-versioned` and pick the version in Swagger UI's top bar
//! at <http://127.0.0.1:8000/docs>; `/v1/items/1` and `/v2/items/1` answer each shape.

use ferrapi::prelude::*;

use crate::{Item, NewItem, Store};

/// A price with its currency.
#[model]
#[derive(Clone, Debug, PartialEq)]
pub struct Price {
    /// The amount, in units of the currency.
    #[field(gt = 0, le = 1000000)]
    pub amount: f64,
    /// The ISO 4217 code of the currency.
    pub currency: String,
}

/// An item as version 2 returns it: the price carries its currency.
#[model]
#[derive(Clone, Debug, PartialEq)]
pub struct ItemV2 {
    /// The item's id, assigned by the server.
    pub id: i64,
    /// A short name.
    #[field(min_length = 1, max_length = 50)]
    pub name: String,
    /// An optional description.
    #[field(max_length = 300)]
    pub description: Option<String>,
    /// The unit price.
    pub price: Price,
    /// Free-form labels.
    #[field(max_items = 10, default)]
    pub tags: Vec<String>,
}

impl From<Item> for ItemV2 {
    fn from(item: Item) -> Self {
        ItemV2 {
            id: item.id,
            name: item.name,
            description: item.description,
            price: Price {
                amount: item.price,
                currency: "EUR".into(),
            },
            tags: item.tags,
        }
    }
}

/// Read one item
#[get(
    "/items/{item_id}",
    versions = "2.0.0"..,
    operation_id = "read_item",
    tags = ["items"],
    responses(404 = HttpError)
)]
pub async fn read_item_v2(
    store: State<Store>,
    #[path(ge = 1)] item_id: i64,
) -> Result<Json<ItemV2>, HttpError> {
    let Json(item) = crate::read_item(store, item_id).await?;
    Ok(Json(item.into()))
}

/// Create an item
#[post(
    "/items/",
    versions = "2.0.0"..,
    operation_id = "create_item",
    status = 201,
    tags = ["items"]
)]
pub async fn create_item_v2(store: State<Store>, item: Json<NewItem>) -> Json<ItemV2> {
    let Json(item) = crate::create_item(store, item).await;
    Json(item.into())
}

/// The items app in versions 1.0.0 and 2.0.0, each under its prefix (`/v1/items/`,
/// `/v2/items/`), with one document per version (`/openapi/v1.json`, `/openapi/v2.json`,
/// the latest at `/openapi.json`).
pub fn app() -> App {
    // Version 1's routes, as released; removed (or replaced) in 2.0.0.
    let v1 = Router::new().versions(.."2.0.0").routes(routes![
        crate::read_items,
        crate::create_item,
        crate::read_item
    ]);
    App::new()
        .title("Items")
        .description("FastAPI's items tutorial, in ferrapi, in two versions.")
        .versions(["1.0.0", "2.0.0"])
        .state(Store::default())
        .include(v1)
        .routes(routes![read_item_v2, create_item_v2, crate::delete_item])
}
