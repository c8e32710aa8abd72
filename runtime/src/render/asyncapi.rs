//! AsyncAPI 3.0 documents: WebSocket routes and event streams.
//!
//! Each WebSocket route is a channel (its path template is the address, path parameters
//! are channel parameters, query parameters and headers go in the `ws` binding) with one
//! message per direction: what the client sends (`receive`, from the app's point of view)
//! and what the server sends (`send`). A handler taking [`JsonSocket<In,
//! Out>`](crate::realtime::JsonSocket) gives both their schemas; a plain `WebSocket` is
//! described with untyped messages. Each HTTP operation answering a stream
//! ([`EventStream<T>`](crate::realtime::EventStream)) is a channel too, whose one message
//! is the item type, sent by the app (`http` binding).

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use super::openapi::{info_object, parameter_schema};
use crate::spec::{
    collect_refs, Api, Operation, OperationKind, ParamIn, Schema, StreamFormat, StreamItems,
};

/// Renders the AsyncAPI 3.0.0 document of `api`.
///
/// ```
/// use ferrapi::prelude::*;
/// use ferrapi::realtime::WebSocket;
///
/// #[websocket("/ws/{room}")]
/// async fn room(socket: WebSocket, room: String, #[query] name: String) {
///     let _ = (socket, room, name);
/// }
///
/// let doc = ferrapi::render::asyncapi(&App::new().routes(routes![room]).describe().unwrap());
/// assert_eq!(doc["asyncapi"], "3.0.0");
/// let channel = &doc["channels"]["room"];
/// assert_eq!(channel["address"], "/ws/{room}");
/// assert!(channel["parameters"].get("room").is_some());
/// assert_eq!(channel["bindings"]["ws"]["query"]["required"], serde_json::json!(["name"]));
/// assert_eq!(doc["operations"]["room_receive"]["action"], "receive");
/// ```
pub fn asyncapi(api: &Api) -> Value {
    let mut channels = Map::new();
    let mut operations = Map::new();
    for op in &api.operations {
        if !op.documented {
            continue;
        }
        match op.kind {
            OperationKind::WebSocket => websocket(op, &mut channels, &mut operations),
            OperationKind::Http => {
                if let Some((media, stream)) = stream_of(op) {
                    event_stream(op, media, stream, &mut channels, &mut operations)
                }
            }
        }
    }

    let mut doc = Map::new();
    doc.insert("asyncapi".into(), "3.0.0".into());
    doc.insert("info".into(), info(api));
    doc.insert("defaultContentType".into(), "application/json".into());
    let schemas = referenced_schemas(api);
    doc.insert("channels".into(), Value::Object(channels));
    doc.insert("operations".into(), Value::Object(operations));
    if !schemas.is_empty() {
        let schemas = schemas
            .into_iter()
            .map(|(n, s)| (n, to_asyncapi_schema(s.as_value())));
        doc.insert(
            "components".into(),
            json!({ "schemas": Value::Object(schemas.collect()) }),
        );
    }
    Value::Object(doc)
}

fn info(api: &Api) -> Value {
    // AsyncAPI's Info has no `summary` (it becomes the description when there is none) and
    // its License object has `name` and `url` only.
    let mut info = api.info.clone();
    if info.description.is_none() {
        info.description = info.summary.take();
    }
    info_object(&info, false, false)
}

/// A key AsyncAPI accepts for channels, operations and messages.
fn key(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

fn channel_base(op: &Operation) -> Map<String, Value> {
    let mut c = Map::new();
    c.insert("address".into(), op.path.clone().into());
    if let Some(s) = &op.summary {
        c.insert("title".into(), s.clone().into());
    }
    if let Some(d) = &op.description {
        c.insert("description".into(), d.clone().into());
    }
    let params: Map<String, Value> = op
        .parameters
        .iter()
        .filter(|p| p.location == ParamIn::Path)
        .map(|p| {
            let mut m = Map::new();
            if let Some(e) = p.schema.get("enum") {
                m.insert("enum".into(), e.clone());
            }
            if let Some(d) = &p.description {
                m.insert("description".into(), d.clone().into());
            }
            (p.name.clone(), Value::Object(m))
        })
        .collect();
    if !params.is_empty() {
        c.insert("parameters".into(), Value::Object(params));
    }
    c
}

/// The parameters of `location` as one object schema (for bindings), or `None`.
fn params_object(op: &Operation, location: ParamIn) -> Option<Value> {
    let params: Vec<_> = op
        .parameters
        .iter()
        .filter(|p| p.location == location)
        .collect();
    if params.is_empty() {
        return None;
    }
    let properties: Map<String, Value> = params
        .iter()
        .map(|p| (p.name.clone(), parameter_schema(p)))
        .collect();
    let required: Vec<&str> = params
        .iter()
        .filter(|p| p.required)
        .map(|p| p.name.as_str())
        .collect();
    let properties: Map<String, Value> = properties
        .into_iter()
        .map(|(k, v)| (k, to_asyncapi_schema(&v)))
        .collect();
    let mut s = json!({"type": "object", "properties": properties});
    if !required.is_empty() {
        s["required"] = json!(required);
    }
    Some(s)
}

fn message(name: &str, title: &str, payload: Option<&Schema>) -> Value {
    let mut m = Map::new();
    m.insert("name".into(), name.into());
    m.insert("title".into(), title.into());
    match payload {
        Some(p) => {
            m.insert("contentType".into(), "application/json".into());
            m.insert("payload".into(), to_asyncapi_schema(p.as_value()));
        }
        None => {
            m.insert(
                "description".into(),
                "Not typed: the handler takes a plain `WebSocket` (use `JsonSocket<In, Out>` to describe its messages).".into(),
            );
            m.insert("payload".into(), json!({}));
        }
    }
    Value::Object(m)
}

fn operation(
    op: &Operation,
    action: &str,
    channel: &str,
    message_key: &str,
    summary: &str,
) -> Value {
    let mut o = Map::new();
    o.insert("action".into(), action.into());
    o.insert(
        "channel".into(),
        json!({ "$ref": format!("#/channels/{channel}") }),
    );
    o.insert("summary".into(), summary.into());
    o.insert(
        "messages".into(),
        json!([{ "$ref": format!("#/channels/{channel}/messages/{message_key}") }]),
    );
    if !op.tags.is_empty() {
        let tags: Vec<Value> = op.tags.iter().map(|t| json!({ "name": t })).collect();
        o.insert("tags".into(), Value::Array(tags));
    }
    Value::Object(o)
}

fn websocket(
    op: &Operation,
    channels: &mut Map<String, Value>,
    operations: &mut Map<String, Value>,
) {
    let id = key(&op.operation_id);
    let mut c = channel_base(op);
    c.insert(
        "messages".into(),
        json!({
            "fromClient": message("fromClient", "From the client", op.messages.receive.as_ref()),
            "fromServer": message("fromServer", "From the server", op.messages.send.as_ref()),
        }),
    );
    let mut ws = Map::new();
    ws.insert("method".into(), "GET".into());
    if let Some(q) = params_object(op, ParamIn::Query) {
        ws.insert("query".into(), q);
    }
    if let Some(h) = params_object(op, ParamIn::Header) {
        ws.insert("headers".into(), h);
    }
    ws.insert("bindingVersion".into(), "0.1.0".into());
    c.insert("bindings".into(), json!({ "ws": Value::Object(ws) }));
    channels.insert(id.clone(), Value::Object(c));
    operations.insert(
        format!("{id}_receive"),
        operation(
            op,
            "receive",
            &id,
            "fromClient",
            "Messages the client sends",
        ),
    );
    operations.insert(
        format!("{id}_send"),
        operation(op, "send", &id, "fromServer", "Messages the server sends"),
    );
}

fn stream_of(op: &Operation) -> Option<(&str, &StreamItems)> {
    op.responses.iter().find_map(|(status, r)| {
        if !status.starts_with('2') {
            return None;
        }
        r.content
            .iter()
            .find_map(|m| m.stream.as_ref().map(|s| (m.media_type.as_str(), s)))
    })
}

fn event_stream(
    op: &Operation,
    media: &str,
    stream: &StreamItems,
    channels: &mut Map<String, Value>,
    operations: &mut Map<String, Value>,
) {
    let id = key(&op.operation_id);
    let mut c = channel_base(op);
    let title = match stream.format {
        StreamFormat::ServerSentEvents => "One server-sent event's data",
        StreamFormat::JsonLines => "One line of the stream",
    };
    c.insert(
        "messages".into(),
        json!({ "item": message("item", title, Some(&stream.item)) }),
    );
    channels.insert(id.clone(), Value::Object(c));
    let mut o = operation(
        op,
        "send",
        &id,
        "item",
        &format!("Items streamed as `{media}`"),
    );
    let mut http = Map::new();
    http.insert("method".into(), op.method.clone().into());
    if let Some(q) = params_object(op, ParamIn::Query) {
        http.insert("query".into(), q);
    }
    http.insert("bindingVersion".into(), "0.3.0".into());
    o["bindings"] = json!({ "http": Value::Object(http) });
    operations.insert(format!("{id}_stream"), o);
}

/// Translates a JSON Schema 2020-12 schema into AsyncAPI's Schema object (a superset of
/// draft 7): `discriminator` is the property name alone, and tuples (`prefixItems`) use
/// the array form of `items`.
pub(super) fn to_asyncapi_schema(schema: &Value) -> Value {
    use crate::spec::{SCHEMA_KEYWORDS, SCHEMA_LIST_KEYWORDS, SCHEMA_MAP_KEYWORDS};
    let Value::Object(src) = schema else {
        return schema.clone();
    };
    let mut m = Map::new();
    for (k, v) in src {
        let key = k.as_str();
        let v = if SCHEMA_KEYWORDS.contains(&key) {
            to_asyncapi_schema(v)
        } else if SCHEMA_LIST_KEYWORDS.contains(&key) {
            Value::Array(
                v.as_array()
                    .into_iter()
                    .flatten()
                    .map(to_asyncapi_schema)
                    .collect(),
            )
        } else if SCHEMA_MAP_KEYWORDS.contains(&key) {
            let map = v.as_object().into_iter().flatten();
            Value::Object(
                map.map(|(n, s)| (n.clone(), to_asyncapi_schema(s)))
                    .collect(),
            )
        } else {
            v.clone()
        };
        m.insert(k.clone(), v);
    }
    if let Some(Value::Object(d)) = m.get("discriminator") {
        match d.get("propertyName").cloned() {
            Some(name) => m.insert("discriminator".into(), name),
            None => m.remove("discriminator"),
        };
    }
    if let Some(prefix) = m.remove("prefixItems") {
        let rest = m.remove("items");
        m.insert("items".into(), prefix);
        // 2020-12's `items` beside `prefixItems` is draft 7's `additionalItems`.
        if let Some(r) = rest {
            m.insert("additionalItems".into(), r);
        }
    }
    Value::Object(m)
}

/// The named schemas the channels refer to (messages, stream items, binding parameters),
/// with everything they refer to in turn.
fn referenced_schemas(api: &Api) -> BTreeMap<String, &Schema> {
    let mut todo = Vec::new();
    for op in api.operations.iter().filter(|o| o.documented) {
        let roots: Vec<&Schema> = match op.kind {
            OperationKind::WebSocket => op.schemas(),
            OperationKind::Http => match stream_of(op) {
                Some((_, stream)) => std::iter::once(&stream.item)
                    .chain(op.parameters.iter().map(|p| &p.schema))
                    .collect(),
                None => Vec::new(),
            },
        };
        for s in roots {
            collect_refs(s, &mut todo);
        }
    }
    let mut out = BTreeMap::new();
    while let Some(name) = todo.pop() {
        if out.contains_key(&name) {
            continue;
        }
        if let Some(s) = api.schemas.get(&name) {
            collect_refs(s, &mut todo);
            out.insert(name, s);
        }
    }
    out
}
