//! The whole API: its metadata, operations and shared definitions.

use serde_json::Value;

use super::{Operation, OperationKind, Schema, SecurityScheme};

/// The API's metadata (`info` in OpenAPI and AsyncAPI).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Info {
    /// The API's name.
    pub title: String,
    /// The API's version (not the format's).
    pub version: String,
    /// A one-line summary (OpenAPI 3.1 and later).
    pub summary: Option<String>,
    /// A description (Markdown).
    pub description: Option<String>,
    /// A URL to the terms of service.
    pub terms_of_service: Option<String>,
    /// Contact information, an OpenAPI Contact object (`name`, `url`, `email`).
    pub contact: Option<Value>,
    /// The licence, an OpenAPI License object (`name`, and `identifier` or `url`).
    pub license: Option<Value>,
}

/// A server the API is served from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Server {
    /// Its URL (relative URLs are resolved against the document).
    pub url: String,
    /// What it is.
    pub description: Option<String>,
}

/// A tag with its description, listed at the top of the document.
#[derive(Debug, Clone, PartialEq)]
pub struct Tag {
    /// The tag.
    pub name: String,
    /// What the operations with this tag have in common (Markdown).
    pub description: Option<String>,
    /// An OpenAPI External Documentation object (`url`, `description`).
    pub external_docs: Option<Value>,
}

/// The typed description of an API: every document ferrapi serves (OpenAPI 3.0, 3.1 and
/// 3.2, AsyncAPI 3.0) is a rendering of it (see [`crate::render`]), and the app reads what
/// each route needs at run time from it. Built once at start-up by
/// [`App::describe`](crate::App::describe).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Api {
    /// Metadata.
    pub info: Info,
    /// Servers.
    pub servers: Vec<Server>,
    /// Top-level tags, in the order given.
    pub tags: Vec<Tag>,
    /// Every operation of every route, in registration order, one per method; those left
    /// out of documents (`documented == false`) included.
    pub operations: Vec<Operation>,
    /// Named schemas, sorted by name.
    pub schemas: std::collections::BTreeMap<String, Schema>,
    /// Security schemes, in the order first used.
    pub security_schemes: Vec<(String, SecurityScheme)>,
}

impl Api {
    /// The documented HTTP operations (what OpenAPI shows).
    pub fn http_operations(&self) -> impl Iterator<Item = &Operation> {
        self.operations
            .iter()
            .filter(|o| o.documented && o.kind == OperationKind::Http)
    }

    /// The documented WebSocket operations (what AsyncAPI shows).
    pub fn websocket_operations(&self) -> impl Iterator<Item = &Operation> {
        self.operations
            .iter()
            .filter(|o| o.documented && o.kind == OperationKind::WebSocket)
    }

    /// Calls `f` on every schema of every operation and on the named schemas.
    pub fn for_each_schema_mut(&mut self, f: &mut dyn FnMut(&mut Schema)) {
        for op in &mut self.operations {
            op.for_each_schema_mut(f);
        }
        for s in self.schemas.values_mut() {
            f(s);
        }
    }
}
