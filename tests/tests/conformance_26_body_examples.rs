//! FastAPI conformance, app 26 (`tests/conformance/fastapi/apps/26_body_examples.py`):
//! examples on model fields and on a model, named examples of a request body
//! (`Body(openapi_examples=...)`), JSON Schema examples of a body (`Body(examples=...)`)
//! and of a query parameter.

use ferrapi::prelude::*;
use ferrapi_tests::conformance::SpecOptions;
use serde_json::{json, Value};

const APP: &str = "26_body_examples";

#[model]
#[schema(examples(json!({"title": "Soup", "servings": 2, "vegan": true})))]
struct Recipe {
    #[field(examples = ["Pancakes"])]
    title: String,
    #[field(gt = 0, examples = [4])]
    servings: i64,
    #[field(default = false)]
    vegan: bool,
}

#[model]
struct Rating {
    #[field(ge = 1, le = 5)]
    stars: i64,
    comment: Option<String>,
}

#[post("/recipes/")]
async fn add_recipe(recipe: Json<Recipe>) -> Json<Value> {
    Json(json!(recipe.0))
}

#[put(
    "/recipes/{recipe_id}",
    body(openapi_examples(
        simple(
            summary = "A simple recipe",
            value = json!({"title": "Toast", "servings": 1}),
        ),
        vegan(
            summary = "Vegan recipe",
            description = "Marked **vegan**.",
            value = json!({"title": "Salad", "servings": 2, "vegan": true}),
        ),
        broken(
            summary = "Rejected",
            value = json!({"title": "Nothing", "servings": 0}),
        ),
    ))
)]
async fn replace_recipe(recipe_id: i64, recipe: Json<Recipe>) -> Json<Value> {
    Json(json!({"recipe_id": recipe_id, "recipe": recipe.0}))
}

#[post(
    "/recipes/{recipe_id}/rate",
    body(examples = [json!({"stars": 5, "comment": "Great"}), json!({"stars": 1})])
)]
async fn rate_recipe(recipe_id: i64, rating: Json<Rating>) -> Json<Value> {
    Json(json!({"recipe_id": recipe_id, "stars": rating.stars}))
}

#[get("/recipes/")]
async fn find_recipes(#[query(examples = ["soup"])] q: Option<String>) -> Json<Value> {
    Json(json!({ "q": q }))
}

fn app() -> App {
    App::new().routes(routes![
        add_recipe,
        replace_recipe,
        rate_recipe,
        find_recipes
    ])
}

ferrapi_tests::conformance_tests!(SpecOptions::with_metadata());
