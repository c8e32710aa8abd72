//! Components a schema refers to are registered with it: a generic model's type
//! argument, models inside `Vec`, and two models with one name.

use ferrapi::prelude::*;
use serde_json::json;

#[model]
struct Item {
    name: String,
}

#[model]
struct Page<T: ToSchema> {
    items: Vec<T>,
    total: u64,
}

#[model]
struct Tree {
    label: String,
    #[field(default)]
    children: Vec<Tree>,
}

#[get("/page")]
async fn page() -> Json<Page<Item>> {
    Json(Page {
        items: vec![],
        total: 0,
    })
}

#[get("/items")]
async fn items() -> Json<Vec<Item>> {
    Json(vec![])
}

#[get("/trees")]
async fn trees() -> Json<Vec<Tree>> {
    Json(vec![])
}

#[test]
fn type_arguments_and_list_items_are_components() {
    let doc = App::new()
        .routes(routes![page, items, trees])
        .openapi_value()
        .unwrap();
    let s = &doc["components"]["schemas"];
    assert_eq!(
        s["Page_Item_"]["properties"]["items"]["items"]["$ref"],
        "#/components/schemas/Item"
    );
    assert_eq!(
        s["Item"]["properties"]["name"]["type"], "string",
        "the type argument is registered"
    );
    let list =
        &doc["paths"]["/items"]["get"]["responses"]["200"]["content"]["application/json"]["schema"];
    assert_eq!(
        list,
        &json!({"type": "array", "items": {"$ref": "#/components/schemas/Item"}, "title": "Response Items"})
    );
    let trees =
        &doc["paths"]["/trees"]["get"]["responses"]["200"]["content"]["application/json"]["schema"];
    assert_eq!(trees["items"]["$ref"], "#/components/schemas/Tree");
    assert_eq!(
        s["Tree"]["properties"]["children"]["items"]["$ref"],
        "#/components/schemas/Tree"
    );
}

mod a {
    use ferrapi::prelude::*;
    #[model]
    pub(crate) struct Thing {
        pub a: i64,
    }
    #[get("/a")]
    pub(crate) async fn get_a() -> Json<Thing> {
        Json(Thing { a: 1 })
    }
}

mod b {
    use ferrapi::prelude::*;
    #[model]
    pub(crate) struct Thing {
        pub b: String,
    }
    #[get("/b")]
    pub(crate) async fn get_b() -> Json<Thing> {
        Json(Thing { b: "x".into() })
    }
}

#[test]
fn two_models_with_one_name_stop_the_app_at_start_up() {
    let err = App::new()
        .routes(routes![a::get_a, b::get_b])
        .openapi_value()
        .unwrap_err();
    assert!(
        err.0.contains("two different models are named `Thing`"),
        "{err}"
    );
}
