//! The same endpoints written by hand with axum: same validation, same answers.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::json;

#[derive(Deserialize)]
pub(crate) struct PageQuery {
    #[serde(default)]
    pub(crate) skip: i64,
    #[serde(default = "ten")]
    pub(crate) limit: i64,
}

fn ten() -> i64 {
    10
}

#[derive(Serialize)]
pub(crate) struct Page {
    pub(crate) skip: i64,
    pub(crate) limit: i64,
}

#[derive(Deserialize)]
pub(crate) struct NewItem {
    pub(crate) name: String,
    pub(crate) price: f64,
    pub(crate) tags: Vec<String>,
}

#[derive(Deserialize)]
pub(crate) struct NewCheckedItem {
    pub(crate) name: String,
    pub(crate) description: Option<String>,
    pub(crate) price: f64,
    #[serde(default)]
    pub(crate) tags: Vec<String>,
}

#[derive(Serialize)]
pub(crate) struct Item {
    pub(crate) id: i64,
    pub(crate) name: String,
    pub(crate) price: f64,
    pub(crate) tags: Vec<String>,
}

#[derive(Serialize)]
pub(crate) struct CheckedItem {
    pub(crate) id: i64,
    pub(crate) name: String,
    pub(crate) description: Option<String>,
    pub(crate) price: f64,
    pub(crate) tags: Vec<String>,
}

#[derive(Deserialize)]
pub(crate) struct Reading {
    #[allow(dead_code)] // read as FastAPI would, not used by the summary
    pub(crate) sensor: String,
    pub(crate) value: f64,
    #[allow(dead_code)]
    pub(crate) ts: i64,
}

#[derive(Serialize)]
pub(crate) struct BatchSummary {
    pub(crate) accepted: usize,
    pub(crate) max: f64,
}

type Ids = Arc<AtomicI64>;

pub(crate) fn next(ids: &AtomicI64) -> i64 {
    ids.fetch_add(1, Ordering::Relaxed) + 1
}

/// The 422 body for the field at `loc`.
pub(crate) fn invalid_body(loc: &str) -> serde_json::Value {
    json!({"detail": [{"type": "value_error", "loc": ["body", loc]}]})
}

fn invalid(loc: &str) -> Response {
    (StatusCode::UNPROCESSABLE_ENTITY, Json(invalid_body(loc))).into_response()
}

/// E1c's checks: the field that fails, if one does.
pub(crate) fn check_page(q: &PageQuery) -> Result<(), &'static str> {
    if q.skip < 0 {
        return Err("skip");
    }
    if !(1..=100).contains(&q.limit) {
        return Err("limit");
    }
    Ok(())
}

/// E2c's checks: the field that fails, if one does.
pub(crate) fn check_item(item: &NewCheckedItem) -> Result<(), &'static str> {
    let n = item.name.chars().count();
    if !(1..=50).contains(&n) {
        return Err("name");
    }
    if item
        .description
        .as_ref()
        .is_some_and(|d| d.chars().count() > 300)
    {
        return Err("description");
    }
    if !(item.price > 0.0 && item.price <= 1_000_000.0) {
        return Err("price");
    }
    if item.tags.len() > 10 {
        return Err("tags");
    }
    Ok(())
}

/// E2's answer: the body with its new id.
pub(crate) fn item(id: i64, new: NewItem) -> Item {
    let NewItem { name, price, tags } = new;
    Item {
        id,
        name,
        price,
        tags,
    }
}

/// E2c's answer: the body with its new id.
pub(crate) fn checked_item(id: i64, new: NewCheckedItem) -> CheckedItem {
    let NewCheckedItem {
        name,
        description,
        price,
        tags,
    } = new;
    CheckedItem {
        id,
        name,
        description,
        price,
        tags,
    }
}

/// E3's answer.
pub(crate) fn summary(readings: &[Reading]) -> BatchSummary {
    BatchSummary {
        accepted: readings.len(),
        max: readings.iter().map(|r| r.value).fold(f64::MIN, f64::max),
    }
}

async fn read_items(q: Query<PageQuery>) -> Json<Page> {
    Json(Page {
        skip: q.skip,
        limit: q.limit,
    })
}

async fn read_checked_items(q: Query<PageQuery>) -> Response {
    if let Err(loc) = check_page(&q) {
        return invalid(loc);
    }
    Json(Page {
        skip: q.skip,
        limit: q.limit,
    })
    .into_response()
}

async fn create_item(State(ids): State<Ids>, Json(body): Json<NewItem>) -> Response {
    (StatusCode::CREATED, Json(item(next(&ids), body))).into_response()
}

async fn create_checked_item(State(ids): State<Ids>, Json(item): Json<NewCheckedItem>) -> Response {
    if let Err(loc) = check_item(&item) {
        return invalid(loc);
    }
    (StatusCode::CREATED, Json(checked_item(next(&ids), item))).into_response()
}

async fn ingest(Json(readings): Json<Vec<Reading>>) -> Json<BatchSummary> {
    Json(summary(&readings))
}

pub(crate) fn router() -> Router {
    Router::new()
        .route("/items/", get(read_items).post(create_item))
        .route(
            "/checked/items/",
            get(read_checked_items).post(create_checked_item),
        )
        .route("/readings/", post(ingest))
        .with_state(Ids::default())
}
