//! `build --endpoints N`: the build cost of an app with many endpoints. Generates the same
//! N endpoints with ferrapi and with axum + utoipa-axum (each: a model with constraints, a
//! path parameter and two query parameters; a JSON body on every other one), builds each
//! clean (debug), then edits one handler and builds again, under `/usr/bin/time`.

use std::fmt::Write as _;
use std::path::Path;

use crate::build_cost::{resolve, timed_build, write_crate, Cost};

fn ferrapi_app(n: usize) -> String {
    let mut s = String::from("use ferrapi::prelude::*;\n\n");
    for i in 0..n {
        let (method, body_arg, ret) = if i % 2 == 0 {
            ("post", format!(", body: Json<Item{i}>"), "body".to_string())
        } else {
            (
                "get",
                String::new(),
                format!(
                    "Json(Item{i} {{ name: q.unwrap_or_default(), price: 1.0, qty: id + limit }})"
                ),
            )
        };
        let _ = write!(
            s,
            r#"#[model]
struct Item{i} {{
    #[field(min_length = 1, max_length = 50)]
    name: String,
    #[field(gt = 0)]
    price: f64,
    #[field(ge = 0, le = 1000)]
    qty: i64,
}}

#[{method}("/items{i}/{{id}}")]
async fn handler{i}(
    id: i64,
    #[query] q: Option<String>,
    #[query(default = 10, ge = 1, le = 100)] limit: i64{body_arg},
) -> Json<Item{i}> {{
    let _ = (&q, id, limit);
    {ret}
}}

"#
        );
    }
    s.push_str("fn main() {\n    App::new()\n");
    for i in 0..n {
        let _ = writeln!(s, "        .routes(routes![handler{i}])");
    }
    s.push_str("        .run();\n}\n");
    s
}

fn axum_app(n: usize) -> String {
    let mut s = String::from(
        "use axum::extract::{Path, Query};\nuse axum::Json;\nuse serde::{Deserialize, Serialize};\n\
         use utoipa::{IntoParams, ToSchema};\nuse utoipa_axum::{router::OpenApiRouter, routes};\n\n",
    );
    for i in 0..n {
        let (method, body_arg, body_doc, ret) = if i % 2 == 0 {
            (
                "post",
                format!(", Json(body): Json<Item{i}>"),
                format!(", request_body = Item{i}"),
                "Json(body)".to_string(),
            )
        } else {
            (
                "get",
                String::new(),
                String::new(),
                format!(
                    "Json(Item{i} {{ name: p.q.unwrap_or_default(), price: 1.0, qty: id + p.limit.unwrap_or(10) }})"
                ),
            )
        };
        let _ = write!(
            s,
            r#"#[derive(Deserialize, Serialize, ToSchema)]
struct Item{i} {{
    #[schema(min_length = 1, max_length = 50)]
    name: String,
    #[schema(exclusive_minimum = 0)]
    price: f64,
    #[schema(minimum = 0, maximum = 1000)]
    qty: i64,
}}

#[derive(Deserialize, IntoParams)]
struct Params{i} {{
    q: Option<String>,
    #[param(minimum = 1, maximum = 100)]
    limit: Option<i64>,
}}

#[utoipa::path({method}, path = "/items{i}/{{id}}", params(("id" = i64, Path), Params{i}){body_doc}, responses((status = 200, body = Item{i})))]
async fn handler{i}(Path(id): Path<i64>, Query(p): Query<Params{i}>{body_arg}) -> Json<Item{i}> {{
    let _ = (&p, id);
    {ret}
}}

"#
        );
    }
    s.push_str("#[tokio::main]\nasync fn main() {\n    let router = OpenApiRouter::new()\n");
    for i in 0..n {
        let _ = writeln!(s, "        .routes(routes!(handler{i}))");
    }
    s.push_str(
        "        ;\n    let (router, api) = router.split_for_parts();\n    let doc = api.to_json().unwrap();\n    \
         let router = router.route(\"/openapi.json\", axum::routing::get(move || async move { doc }));\n    \
         let listener = tokio::net::TcpListener::bind(\"127.0.0.1:8000\").await.unwrap();\n    \
         axum::serve(listener, router).await.unwrap();\n}\n",
    );
    s
}

/// Changes one handler's body the way an edit would (a new statement).
fn edit_one_handler(root: &Path, marker: &str) {
    let file = root.join("src/main.rs");
    let text = std::fs::read_to_string(&file).expect("read main.rs");
    let edited = text.replacen(marker, &format!("{marker}\n    let _edited = 1;"), 1);
    assert_ne!(text, edited, "the marker is in the generated code");
    std::fs::write(&file, edited).expect("write main.rs");
}

fn report(name: &str, clean: &Cost, edit: &Cost) {
    println!(
        "  {name:<18} clean CPU {:>7.1} s (wall {:>6.1} s)   one-handler edit CPU {:>6.1} s (wall {:>5.1} s)",
        clean.cpu, clean.wall, edit.cpu, edit.wall
    );
}

pub(crate) fn run(dir: &Path, n: usize, ferrapi_dependency: &str) {
    std::fs::create_dir_all(dir).expect("create the scratch directory");
    println!("{n} endpoints (a model with constraints, a path and two query parameters each, a JSON body on half), debug builds");
    let apps = [
        (
            "many_axum_utoipa",
            "axum = \"0.8\"\ntokio = { version = \"1\", features = [\"rt-multi-thread\", \"macros\", \"net\"] }\n\
             serde = { version = \"1\", features = [\"derive\"] }\nserde_json = \"1\"\nutoipa = \"6\"\nutoipa-axum = \"0.3\""
                .to_string(),
            axum_app(n),
            "    let _ = (&p, id);",
        ),
        (
            "many_ferrapi",
            ferrapi_dependency.to_string(),
            ferrapi_app(n),
            "    let _ = (&q, id, limit);",
        ),
    ];
    let mut costs = Vec::new();
    for (name, deps, main, marker) in &apps {
        let root = write_crate(dir, name, deps, main);
        resolve(&root, name);
        let clean = timed_build(&root, name, false, true);
        edit_one_handler(&root, marker);
        let edit = timed_build(&root, name, false, false);
        report(name, &clean, &edit);
        costs.push((clean, edit));
    }
    println!(
        "  ferrapi/axum+utoipa-axum   clean CPU {:.2}x   edit CPU {:.2}x, wall {:.2}x",
        costs[1].0.cpu / costs[0].0.cpu,
        costs[1].1.cpu / costs[0].1.cpu,
        costs[1].1.wall / costs[0].1.wall
    );
}
