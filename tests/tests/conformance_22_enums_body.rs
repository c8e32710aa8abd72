//! FastAPI conformance, app 22 (`tests/conformance/fastapi/apps/22_enums_body.py`):
//! enums in a JSON body (a string enum, an integer enum read leniently from `"2"`, a
//! `Literal`, a list of enums) and as query parameters.

use ferrapi::prelude::*;
use ferrapi_tests::conformance::SpecOptions;
use serde_json::{json, Value};

const APP: &str = "22_enums_body";

#[model]
#[derive(Clone, Copy, Debug, PartialEq, Eq, ParamEnum)]
enum Size {
    #[serde(rename = "S")]
    Small,
    #[serde(rename = "M")]
    Medium,
    #[serde(rename = "L")]
    Large,
}

impl Size {
    /// The member's name, as Python's `Size.medium.name`.
    fn name(self) -> &'static str {
        match self {
            Size::Small => "small",
            Size::Medium => "medium",
            Size::Large => "large",
        }
    }
}

/// An integer enum (Python's `IntEnum`): the discriminants are the values.
#[model]
#[derive(Clone, Copy, Debug, PartialEq, Eq, ParamEnum)]
enum Urgency {
    Low = 1,
    Normal = 2,
    High = 3,
}

impl Urgency {
    fn name(self) -> &'static str {
        match self {
            Urgency::Low => "low",
            Urgency::Normal => "normal",
            Urgency::High => "high",
        }
    }
}

#[model]
struct Order {
    size: Size,
    #[field(default = Urgency::Normal)]
    urgency: Urgency,
    /// Python's `Literal["web", "phone"] = "web"`.
    #[field(default = "web", literal = ["web", "phone"])]
    channel: String,
    #[field(default = vec![])]
    extras: Vec<Size>,
}

#[post("/orders/")]
async fn place_order(order: Json<Order>) -> Json<Value> {
    Json(json!({
        "order": order.0,
        "size_name": order.size.name(),
        "urgency_name": order.urgency.name(),
    }))
}

#[get("/orders/")]
async fn orders_by_size(#[query] size: Size, #[query] urgency: Option<Urgency>) -> Json<Value> {
    Json(json!({"size": size, "urgency": urgency}))
}

fn app() -> App {
    App::new().routes(routes![place_order, orders_by_size])
}

ferrapi_tests::conformance_tests!(SpecOptions::with_metadata());
