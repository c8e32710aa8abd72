//! FastAPI conformance, app 29 (`tests/conformance/fastapi/apps/29_unions.py`): validation
//! inside every container. A discriminated union of models (`#[model(discriminator)]` over
//! models with a literal `kind`), a plain union (`#[serde(untagged)]`, pydantic's smart
//! mode), and models inside `Option`, `Vec`, a map, a set and a generic model.

use std::collections::{BTreeMap, BTreeSet};

use ferrapi::prelude::*;
use ferrapi_tests::conformance::SpecOptions;
use serde_json::Value;

const APP: &str = "29_unions";

#[model]
struct Cat {
    #[field(literal = "cat")]
    kind: String,
    #[field(ge = 0, le = 9)]
    lives: i64,
}

#[model]
struct Dog {
    #[field(literal = "dog")]
    kind: String,
    #[field(min_length = 1)]
    name: String,
}

#[model]
struct Parrot {
    #[field(literal = "parrot")]
    kind: String,
    #[field(max_length = 3)]
    words: Vec<String>,
}

/// Python's `Annotated[Union[Cat, Dog, Parrot], Field(discriminator="kind")]`.
#[model(discriminator = "kind")]
enum Pet {
    Cat(Cat),
    Dog(Dog),
    Parrot(Parrot),
}

#[model]
struct Household {
    pets: Vec<Pet>,
}

#[model]
struct Circle {
    #[field(gt = 0)]
    radius: f64,
}

#[model]
struct Square {
    #[field(gt = 0)]
    side: f64,
}

/// Python's `Union[Circle, Square]`.
#[model]
#[serde(untagged)]
enum Shape {
    Circle(Circle),
    Square(Square),
}

#[model]
struct Drawing {
    shape: Shape,
}

#[model]
struct Point {
    #[field(ge = 0)]
    x: i64,
    #[field(ge = 0)]
    y: i64,
}

#[model]
struct Shapes {
    origin: Option<Point>,
    #[field(default)]
    points: Vec<Point>,
    #[field(default)]
    named: BTreeMap<String, Point>,
    #[field(default)]
    tags: BTreeSet<i64>,
}

#[model]
struct Page<T> {
    items: Vec<T>,
    #[field(ge = 0)]
    total: i64,
}

#[post("/pets/")]
async fn add_pet(pet: Json<Pet>) -> Json<Value> {
    Json(serde_json::to_value(pet.0).unwrap())
}

#[post("/households/")]
async fn add_household(household: Json<Household>) -> Json<Value> {
    Json(serde_json::to_value(household.0).unwrap())
}

#[post("/drawings/")]
async fn add_drawing(drawing: Json<Drawing>) -> Json<Value> {
    Json(serde_json::to_value(drawing.0).unwrap())
}

#[post("/shapes/")]
async fn add_shapes(shapes: Json<Shapes>) -> Json<Value> {
    Json(serde_json::to_value(shapes.0).unwrap())
}

#[post("/pages/")]
async fn add_page(page: Json<Page<Point>>) -> Json<Value> {
    Json(serde_json::to_value(page.0).unwrap())
}

fn app() -> App {
    App::new().routes(routes![
        add_pet,
        add_household,
        add_drawing,
        add_shapes,
        add_page
    ])
}

ferrapi_tests::conformance_tests!(SpecOptions::default());
