//! The endpoints every mode measures, each served identically by both apps.

/// One request the benchmark sends, again and again.
pub(crate) struct Endpoint {
    /// Short name used in tables: `E1`, `E1c`, `E2`, `E2c`, `E3`.
    pub name: &'static str,
    /// What it is, for the report.
    pub label: &'static str,
    /// `GET` or `POST`.
    pub method: &'static str,
    /// Path and query.
    pub path: &'static str,
    /// JSON body for a `POST`.
    pub body: Option<&'static str>,
    /// The status a correct answer has.
    pub status: u16,
}

pub(crate) const ENDPOINTS: [Endpoint; 5] = [
    Endpoint {
        name: "E1",
        label: "GET /items/?skip=0&limit=10 (two query integers)",
        method: "GET",
        path: "/items/?skip=0&limit=10",
        body: None,
        status: 200,
    },
    Endpoint {
        name: "E1c",
        label: "GET /checked/items/?skip=0&limit=10 (ge/le checked)",
        method: "GET",
        path: "/checked/items/?skip=0&limit=10",
        body: None,
        status: 200,
    },
    Endpoint {
        name: "E2",
        label: "POST /items/ (typed JSON body echoed)",
        method: "POST",
        path: "/items/",
        body: Some(r#"{"name": "Hammer", "price": 12.5, "tags": ["tools", "hardware"]}"#),
        status: 201,
    },
    Endpoint {
        name: "E2c",
        label: "POST /checked/items/ (JSON body with constraints)",
        method: "POST",
        path: "/checked/items/",
        body: Some(
            r#"{"name": "Hammer", "description": "A sturdy hammer", "price": 12.5, "tags": ["tools", "hardware"]}"#,
        ),
        status: 201,
    },
    Endpoint {
        name: "E3",
        label: "POST /readings/ (batch of 200 typed readings, 11 KB)",
        method: "POST",
        path: "/readings/",
        body: Some(include_str!("../data/readings.json")),
        status: 200,
    },
];
