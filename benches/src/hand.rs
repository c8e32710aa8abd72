//! The same two endpoints written by hand with axum: same validation, same answers.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
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
    description: Option<String>,
    price: f64,
    #[serde(default)]
    tags: Vec<String>,
}

#[derive(Serialize)]
struct Item {
    id: i64,
    name: String,
    description: Option<String>,
    price: f64,
    tags: Vec<String>,
}

fn invalid(loc: &str) -> Response {
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        Json(json!({"detail": [{"type": "value_error", "loc": ["body", loc]}]})),
    )
        .into_response()
}

async fn read_items(q: Query<PageQuery>) -> Response {
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

async fn create_item(State(ids): State<Arc<AtomicI64>>, Json(item): Json<NewItem>) -> Response {
    let n = item.name.chars().count();
    if !(1..=50).contains(&n) {
        return invalid("name");
    }
    if item
        .description
        .as_ref()
        .map(|d| d.chars().count() > 300)
        .unwrap_or(false)
    {
        return invalid("description");
    }
    if !(item.price > 0.0 && item.price <= 1_000_000.0) {
        return invalid("price");
    }
    if item.tags.len() > 10 {
        return invalid("tags");
    }
    let id = ids.fetch_add(1, Ordering::Relaxed) + 1;
    let NewItem {
        name,
        description,
        price,
        tags,
    } = item;
    (
        StatusCode::CREATED,
        Json(Item {
            id,
            name,
            description,
            price,
            tags,
        }),
    )
        .into_response()
}

pub(crate) fn router() -> Router {
    Router::new()
        .route("/items/", get(read_items).post(create_item))
        .with_state(Arc::new(AtomicI64::new(0)))
}
