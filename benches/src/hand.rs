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
struct PageQuery {
    #[serde(default)]
    skip: i64,
    #[serde(default = "ten")]
    limit: i64,
}

fn ten() -> i64 {
    10
}

#[derive(Serialize)]
struct Page {
    skip: i64,
    limit: i64,
}

#[derive(Deserialize)]
struct NewItem {
    name: String,
    price: f64,
    tags: Vec<String>,
}

#[derive(Deserialize)]
struct NewCheckedItem {
    name: String,
    description: Option<String>,
    price: f64,
    #[serde(default)]
    tags: Vec<String>,
}

#[derive(Serialize)]
struct Item {
    id: i64,
    name: String,
    price: f64,
    tags: Vec<String>,
}

#[derive(Serialize)]
struct CheckedItem {
    id: i64,
    name: String,
    description: Option<String>,
    price: f64,
    tags: Vec<String>,
}

#[derive(Deserialize)]
struct Reading {
    #[allow(dead_code)] // read as FastAPI would, not used by the summary
    sensor: String,
    value: f64,
    #[allow(dead_code)]
    ts: i64,
}

#[derive(Serialize)]
struct BatchSummary {
    accepted: usize,
    max: f64,
}

type Ids = Arc<AtomicI64>;

fn next(ids: &Ids) -> i64 {
    ids.fetch_add(1, Ordering::Relaxed) + 1
}

fn invalid(loc: &str) -> Response {
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        Json(json!({"detail": [{"type": "value_error", "loc": ["body", loc]}]})),
    )
        .into_response()
}

async fn read_items(q: Query<PageQuery>) -> Json<Page> {
    Json(Page {
        skip: q.skip,
        limit: q.limit,
    })
}

async fn read_checked_items(q: Query<PageQuery>) -> Response {
    if q.skip < 0 {
        return invalid("skip");
    }
    if !(1..=100).contains(&q.limit) {
        return invalid("limit");
    }
    Json(Page {
        skip: q.skip,
        limit: q.limit,
    })
    .into_response()
}

async fn create_item(State(ids): State<Ids>, Json(item): Json<NewItem>) -> Response {
    let NewItem { name, price, tags } = item;
    let item = Item {
        id: next(&ids),
        name,
        price,
        tags,
    };
    (StatusCode::CREATED, Json(item)).into_response()
}

async fn create_checked_item(State(ids): State<Ids>, Json(item): Json<NewCheckedItem>) -> Response {
    let n = item.name.chars().count();
    if !(1..=50).contains(&n) {
        return invalid("name");
    }
    if item
        .description
        .as_ref()
        .is_some_and(|d| d.chars().count() > 300)
    {
        return invalid("description");
    }
    if !(item.price > 0.0 && item.price <= 1_000_000.0) {
        return invalid("price");
    }
    if item.tags.len() > 10 {
        return invalid("tags");
    }
    let NewCheckedItem {
        name,
        description,
        price,
        tags,
    } = item;
    let item = CheckedItem {
        id: next(&ids),
        name,
        description,
        price,
        tags,
    };
    (StatusCode::CREATED, Json(item)).into_response()
}

async fn ingest(Json(readings): Json<Vec<Reading>>) -> Json<BatchSummary> {
    Json(BatchSummary {
        accepted: readings.len(),
        max: readings.iter().map(|r| r.value).fold(f64::MIN, f64::max),
    })
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
