//! `app openapi diff`: the catalogue of document pairs pinning each rule (both directions,
//! both classifications), the report's formats, `--allow`, the command line through a real
//! app, and hostile documents.

use std::time::{Duration, Instant};

use ferrapi::openapi_diff::{self, rules, Allow, DiffError, Format, Report};
use ferrapi::prelude::*;
use serde_json::{json, Value};

// ---------------------------------------------------------------------------------------
// Building documents

/// A 3.1 document with these paths and schemas.
fn doc(paths: Value, schemas: Value) -> Value {
    json!({
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas},
    })
}

/// One operation, `POST /items/`.
fn op(operation: Value) -> Value {
    doc(json!({"/items/": {"post": operation}}), json!({}))
}

/// `POST /items/` reading `schema` (required body).
fn request(schema: Value) -> Value {
    request_with(schema, json!({}))
}

fn request_with(schema: Value, schemas: Value) -> Value {
    let body = json!({"required": true, "content": {"application/json": {"schema": schema}}});
    doc(
        json!({"/items/": {"post": {"requestBody": body, "responses": {"200": {"description": "OK"}}}}}),
        schemas,
    )
}

/// `POST /items/` answering `schema` with 200.
fn response(schema: Value) -> Value {
    response_with(schema, json!({}))
}

fn response_with(schema: Value, schemas: Value) -> Value {
    let ok = json!({"description": "OK", "content": {"application/json": {"schema": schema}}});
    doc(
        json!({"/items/": {"post": {"responses": {"200": ok}}}}),
        schemas,
    )
}

/// `GET /items/` with these parameters.
fn params(parameters: Value) -> Value {
    doc(
        json!({"/items/": {"get": {"parameters": parameters, "responses": {"200": {"description": "OK"}}}}}),
        json!({}),
    )
}

fn query(name: &str, required: bool, schema: Value) -> Value {
    json!({"name": name, "in": "query", "required": required, "schema": schema})
}

fn object(properties: Value, required: &[&str]) -> Value {
    json!({"type": "object", "properties": properties, "required": required})
}

fn rules_of(old: &Value, new: &Value) -> Vec<(&'static str, bool)> {
    let report = openapi_diff::diff(old, new).unwrap_or_else(|e| panic!("diff failed: {e}"));
    report
        .changes
        .iter()
        .map(|c| (c.rule, c.breaking))
        .collect()
}

// ---------------------------------------------------------------------------------------
// The catalogue

struct Case {
    name: &'static str,
    old: Value,
    new: Value,
    expect: Vec<(&'static str, bool)>,
}

fn case(name: &'static str, old: Value, new: Value, expect: &[(&'static str, bool)]) -> Case {
    Case {
        name,
        old,
        new,
        expect: expect.to_vec(),
    }
}

fn catalogue() -> Vec<Case> {
    let string = json!({"type": "string"});
    let integer = json!({"type": "integer"});
    let item = object(json!({"name": string}), &["name"]);
    let ok = json!({"200": {"description": "OK"}});
    let mut cases = vec![
        // Nothing changed.
        case(
            "no change",
            request(item.clone()),
            request(item.clone()),
            &[],
        ),
        case(
            "no change in a response",
            response(item.clone()),
            response(item.clone()),
            &[],
        ),
        // Operations.
        case(
            "operation removed",
            doc(
                json!({"/a": {"get": {"responses": ok}}, "/b": {"get": {"responses": ok}}}),
                json!({}),
            ),
            doc(json!({"/a": {"get": {"responses": ok}}}), json!({})),
            &[("operation-removed", true)],
        ),
        case(
            "operation added",
            doc(json!({"/a": {"get": {"responses": ok}}}), json!({})),
            doc(
                json!({"/a": {"get": {"responses": ok}, "delete": {"responses": ok}}}),
                json!({}),
            ),
            &[("operation-added", false)],
        ),
        case(
            "path parameter renamed: the same operation",
            doc(
                json!({"/items/{id}": {"get": {"parameters": [{"name": "id", "in": "path", "required": true, "schema": integer}], "responses": ok}}}),
                json!({}),
            ),
            doc(
                json!({"/items/{item_id}": {"get": {"parameters": [{"name": "item_id", "in": "path", "required": true, "schema": integer}], "responses": ok}}}),
                json!({}),
            ),
            &[("path-parameter-renamed", false)],
        ),
        case(
            "operation deprecated",
            op(json!({"responses": ok})),
            op(json!({"responses": ok, "deprecated": true})),
            &[("operation-deprecated", false)],
        ),
        case(
            "operation id changed",
            op(json!({"operationId": "create", "responses": ok})),
            op(json!({"operationId": "create_item", "responses": ok})),
            &[("operation-id-changed", false)],
        ),
        case(
            "summary and description changed",
            op(json!({"summary": "Create", "description": "a", "responses": ok})),
            op(json!({"summary": "Create an item", "description": "b", "responses": ok})),
            &[
                ("documentation-changed", false),
                ("documentation-changed", false),
            ],
        ),
        // Parameters.
        case(
            "parameter removed",
            params(json!([query("q", false, string.clone())])),
            params(json!([])),
            &[("parameter-removed", true)],
        ),
        case(
            "required parameter added",
            params(json!([])),
            params(json!([query("q", true, string.clone())])),
            &[("required-parameter-added", true)],
        ),
        case(
            "optional parameter added",
            params(json!([])),
            params(json!([query("q", false, string.clone())])),
            &[("optional-parameter-added", false)],
        ),
        case(
            "parameter became required",
            params(json!([query("q", false, string.clone())])),
            params(json!([query("q", true, string.clone())])),
            &[("parameter-became-required", true)],
        ),
        case(
            "parameter became optional",
            params(json!([query("q", true, string.clone())])),
            params(json!([query("q", false, string.clone())])),
            &[("parameter-became-optional", false)],
        ),
        case(
            "parameter type narrowed",
            params(json!([query("limit", false, integer.clone())])),
            params(json!([query("limit", false, string.clone())])),
            &[("parameter-type-changed", true)],
        ),
        case(
            "parameter type widened",
            params(json!([query("limit", false, integer.clone())])),
            params(json!([query("limit", false, json!({"type": "number"}))])),
            &[("parameter-type-changed", false)],
        ),
        case(
            "header names ignore case",
            params(json!([{"name": "X-Token", "in": "header", "schema": string}])),
            params(json!([{"name": "x-token", "in": "header", "schema": string}])),
            &[],
        ),
        case(
            "parameter serialization changed",
            params(
                json!([{"name": "tags", "in": "query", "schema": {"type": "array", "items": string}}]),
            ),
            params(
                json!([{"name": "tags", "in": "query", "explode": false, "schema": {"type": "array", "items": string}}]),
            ),
            &[("parameter-serialization-changed", true)],
        ),
        case(
            "parameter deprecated, described",
            params(json!([query("q", false, string.clone())])),
            params(
                json!([{"name": "q", "in": "query", "deprecated": true, "description": "old", "schema": string}]),
            ),
            &[
                ("parameter-deprecated", false),
                ("documentation-changed", false),
            ],
        ),
        case(
            "parameter constraint tightened",
            params(json!([query(
                "limit",
                false,
                json!({"type": "integer", "maximum": 100})
            )])),
            params(json!([query(
                "limit",
                false,
                json!({"type": "integer", "maximum": 50})
            )])),
            &[("maximum-decreased", true)],
        ),
        case(
            "parameter default changed",
            params(json!([query(
                "limit",
                false,
                json!({"type": "integer", "default": 10})
            )])),
            params(json!([query(
                "limit",
                false,
                json!({"type": "integer", "default": 20})
            )])),
            &[("default-changed", false)],
        ),
        // Request bodies.
        case(
            "request body became required",
            op(
                json!({"requestBody": {"content": {"application/json": {"schema": item}}}, "responses": ok}),
            ),
            op(
                json!({"requestBody": {"required": true, "content": {"application/json": {"schema": item}}}, "responses": ok}),
            ),
            &[("request-body-became-required", true)],
        ),
        case(
            "request body became optional",
            op(
                json!({"requestBody": {"required": true, "content": {"application/json": {"schema": item}}}, "responses": ok}),
            ),
            op(
                json!({"requestBody": {"content": {"application/json": {"schema": item}}}, "responses": ok}),
            ),
            &[("request-body-became-optional", false)],
        ),
        case(
            "required request body added",
            op(json!({"responses": ok})),
            op(
                json!({"requestBody": {"required": true, "content": {"application/json": {"schema": item}}}, "responses": ok}),
            ),
            &[("request-body-became-required", true)],
        ),
        case(
            "optional request body added",
            op(json!({"responses": ok})),
            op(
                json!({"requestBody": {"content": {"application/json": {"schema": item}}}, "responses": ok}),
            ),
            &[("request-body-added", false)],
        ),
        case(
            "request body removed",
            op(
                json!({"requestBody": {"content": {"application/json": {"schema": item}}}, "responses": ok}),
            ),
            op(json!({"responses": ok})),
            &[("request-body-removed", true)],
        ),
        case(
            "request media type removed and added",
            op(
                json!({"requestBody": {"content": {"application/json": {"schema": item}, "application/x-www-form-urlencoded": {"schema": item}}}, "responses": ok}),
            ),
            op(
                json!({"requestBody": {"content": {"application/json": {"schema": item}, "multipart/form-data": {"schema": item}}}, "responses": ok}),
            ),
            &[
                ("request-media-type-removed", true),
                ("request-media-type-added", false),
            ],
        ),
        // Responses.
        case(
            "success status replaced",
            op(json!({"responses": {"200": {"description": "OK"}}})),
            op(json!({"responses": {"201": {"description": "Created"}}})),
            &[
                ("response-status-removed", true),
                ("response-status-added", false),
            ],
        ),
        case(
            "error status removed",
            op(
                json!({"responses": {"200": {"description": "OK"}, "404": {"description": "Missing"}}}),
            ),
            op(json!({"responses": {"200": {"description": "OK"}}})),
            &[("response-error-status-removed", false)],
        ),
        case(
            "response media type removed and added",
            op(
                json!({"responses": {"200": {"description": "OK", "content": {"application/json": {"schema": item}}}}}),
            ),
            op(
                json!({"responses": {"200": {"description": "OK", "content": {"text/csv": {"schema": string}}}}}),
            ),
            &[
                ("response-media-type-removed", true),
                ("response-media-type-added", false),
            ],
        ),
        case(
            "response header removed and added",
            op(
                json!({"responses": {"200": {"description": "OK", "headers": {"X-Rate": {"schema": integer}}}}}),
            ),
            op(
                json!({"responses": {"200": {"description": "OK", "headers": {"X-Limit": {"schema": integer}}}}}),
            ),
            &[
                ("response-header-removed", true),
                ("response-header-added", false),
            ],
        ),
        case(
            "response description changed",
            op(json!({"responses": {"200": {"description": "OK"}}})),
            op(json!({"responses": {"200": {"description": "The item"}}})),
            &[("documentation-changed", false)],
        ),
        // Properties, by direction.
        case(
            "request property added, required",
            request(item.clone()),
            request(object(
                json!({"name": string, "price": integer}),
                &["name", "price"],
            )),
            &[("request-property-added-required", true)],
        ),
        case(
            "request property added, optional",
            request(item.clone()),
            request(object(json!({"name": string, "price": integer}), &["name"])),
            &[("request-property-added", false)],
        ),
        case(
            "request property removed",
            request(object(json!({"name": string, "price": integer}), &["name"])),
            request(item.clone()),
            &[("request-property-removed", true)],
        ),
        case(
            "request property became required",
            request(object(json!({"name": string}), &[])),
            request(item.clone()),
            &[("request-property-became-required", true)],
        ),
        case(
            "request property became optional",
            request(item.clone()),
            request(object(json!({"name": string}), &[])),
            &[("request-property-became-optional", false)],
        ),
        case(
            "response property added",
            response(item.clone()),
            response(object(
                json!({"name": string, "price": integer}),
                &["name", "price"],
            )),
            &[("response-property-added", false)],
        ),
        case(
            "response property removed",
            response(object(json!({"name": string, "price": integer}), &["name"])),
            response(item.clone()),
            &[("response-property-removed", true)],
        ),
        case(
            "response property became optional",
            response(item.clone()),
            response(object(json!({"name": string}), &[])),
            &[("response-property-became-optional", true)],
        ),
        case(
            "response property became required",
            response(object(json!({"name": string}), &[])),
            response(item.clone()),
            &[("response-property-became-required", false)],
        ),
        case(
            "a read-only property is not part of a request",
            request(object(json!({"name": string}), &["name"])),
            request(object(
                json!({"name": string, "id": {"type": "integer", "readOnly": true}}),
                &["name", "id"],
            )),
            &[],
        ),
        case(
            "nested property, through an array",
            request(object(
                json!({"tags": {"type": "array", "items": {"type": "string", "maxLength": 20}}}),
                &[],
            )),
            request(object(
                json!({"tags": {"type": "array", "items": {"type": "string", "maxLength": 10}}}),
                &[],
            )),
            &[("max-length-decreased", true)],
        ),
        // Types.
        case(
            "request type narrowed",
            request(object(json!({"price": {"type": "number"}}), &[])),
            request(object(json!({"price": integer}), &[])),
            &[("type-changed", true)],
        ),
        case(
            "response type narrowed",
            response(object(json!({"price": {"type": "number"}}), &[])),
            response(object(json!({"price": integer}), &[])),
            &[("type-changed", false)],
        ),
        case(
            "response type widened",
            response(object(json!({"price": integer}), &[])),
            response(object(json!({"price": {"type": "number"}}), &[])),
            &[("type-changed", true)],
        ),
        case(
            "object became a string: nested keywords are not compared",
            response(object(json!({"owner": item}), &[])),
            response(object(json!({"owner": string}), &[])),
            &[("type-changed", true)],
        ),
        // Nullability, in both dialects.
        case(
            "response became nullable (3.1)",
            response(object(json!({"name": string}), &[])),
            response(object(json!({"name": {"type": ["string", "null"]}}), &[])),
            &[("nullable-added", true)],
        ),
        case(
            "request became nullable (3.1)",
            request(object(json!({"name": string}), &[])),
            request(object(json!({"name": {"type": ["string", "null"]}}), &[])),
            &[("nullable-added", false)],
        ),
        case(
            "request no longer nullable (3.0)",
            request(object(
                json!({"name": {"type": "string", "nullable": true}}),
                &[],
            )),
            request(object(json!({"name": string}), &[])),
            &[("nullable-removed", true)],
        ),
        case(
            "response no longer nullable (anyOf null)",
            response(object(
                json!({"name": {"anyOf": [string, {"type": "null"}]}}),
                &[],
            )),
            response(object(json!({"name": string}), &[])),
            &[("nullable-removed", false)],
        ),
        case(
            "3.0 nullable and 3.1 null type are the same",
            request(object(
                json!({"name": {"type": "string", "nullable": true}}),
                &[],
            )),
            request(object(json!({"name": {"type": ["string", "null"]}}), &[])),
            &[],
        ),
        // Enums.
        case(
            "request enum value removed",
            request(json!({"type": "string", "enum": ["a", "b"]})),
            request(json!({"type": "string", "enum": ["a"]})),
            &[("enum-value-removed", true)],
        ),
        case(
            "request enum value added",
            request(json!({"type": "string", "enum": ["a"]})),
            request(json!({"type": "string", "enum": ["a", "b"]})),
            &[("enum-value-added", false)],
        ),
        case(
            "response enum value added",
            response(json!({"type": "string", "enum": ["a"]})),
            response(json!({"type": "string", "enum": ["a", "b"]})),
            &[("enum-value-added", true)],
        ),
        case(
            "response enum value removed",
            response(json!({"type": "string", "enum": ["a", "b"]})),
            response(json!({"type": "string", "const": "a"})),
            &[("enum-value-removed", false)],
        ),
        case(
            "request value limited to a list",
            request(string.clone()),
            request(json!({"type": "string", "enum": ["a"]})),
            &[("enum-constraint-added", true)],
        ),
        case(
            "response value no longer limited to a list",
            response(json!({"type": "string", "enum": ["a"]})),
            response(string.clone()),
            &[("enum-constraint-removed", true)],
        ),
        // Constraints: tightened or loosened, in each direction.
        case(
            "request maxLength decreased",
            request(json!({"type": "string", "maxLength": 50})),
            request(json!({"type": "string", "maxLength": 20})),
            &[("max-length-decreased", true)],
        ),
        case(
            "request maxLength removed",
            request(json!({"type": "string", "maxLength": 50})),
            request(string.clone()),
            &[("max-length-increased", false)],
        ),
        case(
            "response maxLength increased",
            response(json!({"type": "string", "maxLength": 50})),
            response(json!({"type": "string", "maxLength": 80})),
            &[("max-length-increased", true)],
        ),
        case(
            "response maxLength decreased",
            response(json!({"type": "string", "maxLength": 50})),
            response(json!({"type": "string", "maxLength": 20})),
            &[("max-length-decreased", false)],
        ),
        case(
            "request minLength increased, decreased",
            request(object(
                json!({"a": {"type": "string", "minLength": 1}, "b": {"type": "string", "minLength": 3}}),
                &[],
            )),
            request(object(
                json!({"a": {"type": "string", "minLength": 2}, "b": {"type": "string", "minLength": 1}}),
                &[],
            )),
            &[
                ("min-length-increased", true),
                ("min-length-decreased", false),
            ],
        ),
        case(
            "request minimum increased, set",
            request(object(
                json!({"a": {"type": "integer", "minimum": 0}, "b": integer}),
                &[],
            )),
            request(object(
                json!({"a": {"type": "integer", "minimum": 1}, "b": {"type": "integer", "minimum": 0}}),
                &[],
            )),
            &[("minimum-increased", true), ("minimum-increased", true)],
        ),
        case(
            "request minimum decreased; response minimum decreased",
            request(json!({"type": "integer", "minimum": 1})),
            request(json!({"type": "integer", "minimum": 0})),
            &[("minimum-decreased", false)],
        ),
        case(
            "request maximum made exclusive: tighter",
            request(json!({"type": "integer", "maximum": 10})),
            request(json!({"type": "integer", "exclusiveMaximum": 10})),
            &[("maximum-decreased", true)],
        ),
        case(
            "response maximum increased",
            response(json!({"type": "integer", "maximum": 10})),
            response(json!({"type": "integer", "maximum": 11})),
            &[("maximum-increased", true)],
        ),
        case(
            "3.0 boolean and 3.1 numeric exclusive bounds are the same",
            request(
                json!({"type": "number", "maximum": 10, "exclusiveMaximum": true, "minimum": 0, "exclusiveMinimum": true}),
            ),
            request(json!({"type": "number", "exclusiveMaximum": 10, "exclusiveMinimum": 0})),
            &[],
        ),
        case(
            "request array bounds tightened and loosened",
            request(json!({"type": "array", "items": string, "maxItems": 10, "minItems": 1})),
            request(json!({"type": "array", "items": string, "maxItems": 5, "minItems": 0})),
            &[
                ("max-items-decreased", true),
                ("min-items-decreased", false),
            ],
        ),
        case(
            "response array bounds loosened and tightened",
            response(json!({"type": "array", "items": string, "maxItems": 10, "minItems": 1})),
            response(json!({"type": "array", "items": string, "maxItems": 20, "minItems": 2})),
            &[
                ("max-items-increased", true),
                ("min-items-increased", false),
            ],
        ),
        case(
            "request pattern added, removed, changed",
            request(object(
                json!({"a": string, "b": {"type": "string", "pattern": "^b"}, "c": {"type": "string", "pattern": "^c"}}),
                &[],
            )),
            request(object(
                json!({"a": {"type": "string", "pattern": "^a"}, "b": string, "c": {"type": "string", "pattern": "^c+"}}),
                &[],
            )),
            &[
                ("pattern-added", true),
                ("pattern-removed", false),
                ("pattern-changed", true),
            ],
        ),
        case(
            "response pattern added, removed, changed",
            response(object(
                json!({"a": string, "b": {"type": "string", "pattern": "^b"}, "c": {"type": "string", "pattern": "^c"}}),
                &[],
            )),
            response(object(
                json!({"a": {"type": "string", "pattern": "^a"}, "b": string, "c": {"type": "string", "pattern": "^c+"}}),
                &[],
            )),
            &[
                ("pattern-added", false),
                ("pattern-removed", true),
                ("pattern-changed", true),
            ],
        ),
        case(
            "format widened: compatible in a request",
            request(json!({"type": "integer", "format": "int32"})),
            request(json!({"type": "integer", "format": "int64"})),
            &[("format-changed", false)],
        ),
        case(
            "format widened: breaking in a response",
            response(json!({"type": "integer", "format": "int32"})),
            response(json!({"type": "integer", "format": "int64"})),
            &[("format-changed", true)],
        ),
        // additionalProperties.
        case(
            "request extra properties forbidden",
            request(object(json!({"name": string}), &[])),
            request(
                json!({"type": "object", "properties": {"name": string}, "additionalProperties": false}),
            ),
            &[("additional-properties-narrowed", true)],
        ),
        case(
            "response extra properties allowed",
            response(
                json!({"type": "object", "properties": {"name": string}, "additionalProperties": false}),
            ),
            response(object(json!({"name": string}), &[])),
            &[("additional-properties-widened", false)],
        ),
        case(
            "request map values changed type",
            request(json!({"type": "object", "additionalProperties": integer})),
            request(json!({"type": "object", "additionalProperties": string})),
            &[("type-changed", true)],
        ),
        case(
            "response map values allowed null",
            response(json!({"type": "object", "additionalProperties": integer})),
            response(
                json!({"type": "object", "additionalProperties": {"type": ["integer", "null"]}}),
            ),
            &[("nullable-added", true)],
        ),
        // Security.
        case(
            "3.0 format binary and 3.1 contentMediaType are the same",
            op(
                json!({"requestBody": {"content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}, "responses": ok}),
            ),
            op(
                json!({"requestBody": {"content": {"application/octet-stream": {"schema": {"type": "string", "contentMediaType": "application/octet-stream"}}}}, "responses": ok}),
            ),
            &[],
        ),
        case(
            "a stream's items (3.2 itemSchema)",
            op(
                json!({"responses": {"200": {"description": "OK", "content": {"application/jsonl": {"itemSchema": object(json!({"n": integer}), &["n"])}}}}}),
            ),
            op(
                json!({"responses": {"200": {"description": "OK", "content": {"application/jsonl": {"itemSchema": object(json!({"n": integer}), &[])}}}}}),
            ),
            &[("response-property-became-optional", true)],
        ),
        case(
            "security added",
            op(json!({"responses": ok})),
            op(json!({"responses": ok, "security": [{"oauth": []}]})),
            &[("security-added", true)],
        ),
        case(
            "security removed",
            op(json!({"responses": ok, "security": [{"oauth": []}]})),
            op(json!({"responses": ok})),
            &[("security-removed", false)],
        ),
        case(
            "security scope added",
            op(json!({"responses": ok, "security": [{"oauth": ["read"]}]})),
            op(json!({"responses": ok, "security": [{"oauth": ["read", "write"]}]})),
            &[("security-scope-added", true)],
        ),
        case(
            "security scope removed",
            op(json!({"responses": ok, "security": [{"oauth": ["read", "write"]}]})),
            op(json!({"responses": ok, "security": [{"oauth": ["read"]}]})),
            &[("security-scope-removed", false)],
        ),
        case(
            "security scheme replaced",
            op(json!({"responses": ok, "security": [{"key": []}]})),
            op(json!({"responses": ok, "security": [{"oauth": []}]})),
            &[("security-added", true)],
        ),
        case(
            "an alternative made optional: the other scheme is no longer required",
            op(json!({"responses": ok, "security": [{"key": [], "oauth": []}]})),
            op(json!({"responses": ok, "security": [{"oauth": []}]})),
            &[("security-removed", false)],
        ),
        case(
            "optional authentication is not security added",
            op(json!({"responses": ok})),
            op(json!({"responses": ok, "security": [{}, {"oauth": []}]})),
            &[],
        ),
    ];
    cases.extend(ref_cases());
    cases
}

/// Cases going through `$ref`s, `allOf`, unions and security components.
fn ref_cases() -> Vec<Case> {
    let string = json!({"type": "string"});
    let integer = json!({"type": "integer"});
    let cat = object(json!({"meow": string}), &["meow"]);
    let dog = object(json!({"bark": string}), &["bark"]);
    let bird = object(json!({"tweet": string}), &["tweet"]);
    let pet = |members: &[&str]| {
        let refs: Vec<Value> = members
            .iter()
            .map(|m| json!({"$ref": format!("#/components/schemas/{m}")}))
            .collect();
        json!({"oneOf": refs})
    };
    let animals = json!({"Cat": cat, "Dog": dog, "Bird": bird});
    let tree = |extra: Value| {
        json!({"Tree": {"type": "object", "properties": {
            "label": extra,
            "children": {"type": "array", "items": {"$ref": "#/components/schemas/Tree"}},
        }}})
    };
    let tree_ref = json!({"$ref": "#/components/schemas/Tree"});
    let secured = |scheme: Value| {
        let mut d =
            op(json!({"responses": {"200": {"description": "OK"}}, "security": [{"key": []}]}));
        d["components"]["securitySchemes"] = json!({"key": scheme});
        d
    };
    vec![
        case(
            "a change inside a referenced component",
            request_with(
                json!({"$ref": "#/components/schemas/Item"}),
                json!({"Item": object(json!({"name": string}), &[])}),
            ),
            request_with(
                json!({"$ref": "#/components/schemas/Item"}),
                json!({"Item": object(json!({"name": string, "price": integer}), &["price"])}),
            ),
            &[("request-property-added-required", true)],
        ),
        case(
            "a component renamed, same shape",
            response_with(
                json!({"$ref": "#/components/schemas/Item"}),
                json!({"Item": cat}),
            ),
            response_with(
                json!({"$ref": "#/components/schemas/Pet"}),
                json!({"Pet": cat}),
            ),
            &[],
        ),
        case(
            "allOf members merged",
            request_with(
                json!({"allOf": [{"$ref": "#/components/schemas/Base"}, object(json!({"extra": string}), &[])]}),
                json!({"Base": object(json!({"id": integer}), &["id"])}),
            ),
            request_with(
                json!({"allOf": [{"$ref": "#/components/schemas/Base"}, object(json!({"extra": string}), &[])]}),
                json!({"Base": object(json!({"id": integer, "code": string}), &["id", "code"])}),
            ),
            &[("request-property-added-required", true)],
        ),
        case(
            "3.0 allOf-wrapped nullable $ref and 3.1 anyOf null are the same",
            response_with(
                object(
                    json!({"owner": {"allOf": [{"$ref": "#/components/schemas/Cat"}], "nullable": true}}),
                    &[],
                ),
                animals.clone(),
            ),
            response_with(
                object(
                    json!({"owner": {"anyOf": [{"$ref": "#/components/schemas/Cat"}, {"type": "null"}]}}),
                    &[],
                ),
                animals.clone(),
            ),
            &[],
        ),
        case(
            "request union member removed",
            request_with(pet(&["Cat", "Dog"]), animals.clone()),
            request_with(pet(&["Cat"]), animals.clone()),
            &[("union-member-removed", true)],
        ),
        case(
            "request union member added",
            request_with(pet(&["Cat", "Dog"]), animals.clone()),
            request_with(pet(&["Cat", "Dog", "Bird"]), animals.clone()),
            &[("union-member-added", false)],
        ),
        case(
            "response union member added",
            response_with(pet(&["Cat", "Dog"]), animals.clone()),
            response_with(pet(&["Cat", "Dog", "Bird"]), animals.clone()),
            &[("union-member-added", true)],
        ),
        case(
            "response union member removed",
            response_with(pet(&["Cat", "Dog"]), animals.clone()),
            response_with(pet(&["Dog"]), animals.clone()),
            &[("union-member-removed", false)],
        ),
        case(
            "a schema became a union with it",
            request_with(json!({"$ref": "#/components/schemas/Cat"}), animals.clone()),
            request_with(pet(&["Cat", "Dog"]), animals.clone()),
            &[("union-member-added", false)],
        ),
        case(
            "a change inside a union member",
            response_with(pet(&["Cat", "Dog"]), animals.clone()),
            response_with(
                pet(&["Cat", "Dog"]),
                json!({"Cat": object(json!({"meow": string}), &[]), "Dog": dog}),
            ),
            &[("response-property-became-optional", true)],
        ),
        case(
            "inline union members matched by shape",
            request(json!({"anyOf": [string, integer]})),
            request(json!({"anyOf": [integer, string, {"type": "boolean"}]})),
            &[("union-member-added", false)],
        ),
        case(
            "a recursive schema: reported once",
            response_with(tree_ref.clone(), tree(string.clone())),
            response_with(tree_ref.clone(), tree(json!({"type": ["string", "null"]}))),
            &[("nullable-added", true)],
        ),
        case(
            "a recursive schema, unchanged",
            request_with(tree_ref.clone(), tree(string.clone())),
            request_with(tree_ref.clone(), tree(string.clone())),
            &[],
        ),
        case(
            "a referenced parameter",
            {
                let mut d = doc(
                    json!({"/items/": {"get": {"parameters": [{"$ref": "#/components/parameters/Limit"}], "responses": {"200": {"description": "OK"}}}}}),
                    json!({}),
                );
                d["components"]["parameters"] =
                    json!({"Limit": query("limit", false, integer.clone())});
                d
            },
            {
                let mut d = doc(
                    json!({"/items/": {"get": {"parameters": [{"$ref": "#/components/parameters/Limit"}], "responses": {"200": {"description": "OK"}}}}}),
                    json!({}),
                );
                d["components"]["parameters"] =
                    json!({"Limit": query("limit", true, integer.clone())});
                d
            },
            &[("parameter-became-required", true)],
        ),
        case(
            "global security applies to operations",
            op(json!({"responses": {"200": {"description": "OK"}}})),
            {
                let mut d = op(json!({"responses": {"200": {"description": "OK"}}}));
                d["security"] = json!([{"key": []}]);
                d
            },
            &[("security-added", true)],
        ),
        case(
            "security scheme changed",
            secured(json!({"type": "apiKey", "in": "header", "name": "X-Key"})),
            secured(
                json!({"type": "apiKey", "in": "header", "name": "X-Token", "description": "new"}),
            ),
            &[("security-scheme-changed", true)],
        ),
        case(
            "security scheme described differently",
            secured(json!({"type": "http", "scheme": "bearer"})),
            secured(
                json!({"type": "http", "scheme": "Bearer", "bearerFormat": "JWT", "description": "a JWT"}),
            ),
            &[],
        ),
    ]
}

#[test]
fn the_catalogue_holds() {
    let cases = catalogue();
    assert!(cases.len() >= 30, "{} cases", cases.len());
    let mut failures = Vec::new();
    for c in &cases {
        match openapi_diff::diff(&c.old, &c.new) {
            Ok(report) => {
                let got: Vec<(&str, bool)> = report
                    .changes
                    .iter()
                    .map(|ch| (ch.rule, ch.breaking))
                    .collect();
                if got != c.expect {
                    failures.push(format!(
                        "{}:\n  expected {:?}\n  got      {:?}\n  {:#?}",
                        c.name, c.expect, got, report.changes
                    ));
                }
            }
            Err(e) => failures.push(format!("{}: error {e}", c.name)),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases fail:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn the_catalogue_covers_every_rule() {
    let produced: std::collections::HashSet<&str> = catalogue()
        .iter()
        .flat_map(|c| c.expect.iter().map(|(r, _)| *r))
        .collect();
    let missing: Vec<&str> = rules::RULES
        .iter()
        .map(|r| r.id)
        .filter(|id| !produced.contains(id))
        .collect();
    assert!(missing.is_empty(), "rules without a case: {missing:?}");
}

#[test]
fn every_rule_is_in_the_guide() {
    let guide = include_str!("../../docs/openapi-diff.md");
    for rule in rules::RULES {
        assert!(
            guide.contains(&format!("`{}`", rule.id)),
            "{} is not in docs/openapi-diff.md",
            rule.id
        );
    }
    let ids: std::collections::HashSet<&str> = rules::RULES.iter().map(|r| r.id).collect();
    assert_eq!(ids.len(), rules::RULES.len(), "rule ids are unique");
}

#[test]
fn a_document_against_itself_has_no_change() {
    let old = doc(
        json!({"/items/{id}": {"get": {"parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}], "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Item"}}}}}}}}),
        json!({"Item": object(json!({"name": {"type": "string"}, "tags": {"type": "array", "items": {"type": "string"}}}), &["name"])}),
    );
    let report = openapi_diff::diff(&old, &old).unwrap();
    assert_eq!(report, Report::default());
    assert_eq!(report.summary(), "0 breaking, 0 compatible");
}

// ---------------------------------------------------------------------------------------
// Locations, messages and formats

fn sample_report() -> Report {
    let old = doc(
        json!({
            "/items/": {"post": {
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Item"}}}},
                "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Item"}}}}},
            }},
            "/legacy": {"get": {"responses": {"200": {"description": "OK"}}}},
        }),
        json!({"Item": object(json!({"name": {"type": "string"}, "tags": {"type": "array", "items": {"type": "string"}}}), &[])}),
    );
    let new = doc(
        json!({
            "/items/": {"post": {
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Item"}}}},
                "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Item"}}}}},
            }},
        }),
        json!({"Item": object(json!({"name": {"type": "string"}, "tags": {"type": "array", "items": {"type": "string", "maxLength": 5}}}), &["name"])}),
    );
    openapi_diff::diff(&old, &new).unwrap()
}

#[test]
fn changes_say_where_they_are() {
    let report = sample_report();
    let lines: Vec<(&str, Option<&str>, &str, &str)> = report
        .changes
        .iter()
        .map(|c| {
            (
                c.rule,
                c.operation.as_deref(),
                c.location.as_str(),
                c.message.as_str(),
            )
        })
        .collect();
    assert_eq!(
        lines,
        [
            (
                "request-property-became-required",
                Some("POST /items/"),
                "request body: property \"name\"",
                "became required"
            ),
            (
                "max-length-decreased",
                Some("POST /items/"),
                "request body: property \"tags[]\"",
                "maxLength: none -> 5"
            ),
            (
                "response-property-became-required",
                Some("POST /items/"),
                "response 200: property \"name\"",
                "became required: it is always present"
            ),
            (
                "max-length-decreased",
                Some("POST /items/"),
                "response 200: property \"tags[]\"",
                "maxLength: none -> 5"
            ),
            (
                "operation-removed",
                Some("GET /legacy"),
                "operation",
                "removed"
            ),
        ]
    );
    assert_eq!(report.summary(), "3 breaking, 2 compatible");
}

#[test]
fn text_format() {
    let text = openapi_diff::format::render(&sample_report(), Format::Text);
    assert_eq!(
        text,
        "BREAKING   POST /items/ request body: property \"name\": became required [request-property-became-required]\n\
         BREAKING   POST /items/ request body: property \"tags[]\": maxLength: none -> 5 [max-length-decreased]\n\
         compatible POST /items/ response 200: property \"name\": became required: it is always present [response-property-became-required]\n\
         compatible POST /items/ response 200: property \"tags[]\": maxLength: none -> 5 [max-length-decreased]\n\
         BREAKING   GET /legacy operation: removed [operation-removed]\n\
         3 breaking, 2 compatible\n"
    );
}

#[test]
fn markdown_format() {
    let mut report = sample_report();
    report.allow(&["operation-removed".parse().unwrap()]);
    let md = openapi_diff::format::render(&report, Format::Markdown);
    let lines: Vec<&str> = md.lines().collect();
    assert_eq!(
        lines[0],
        "**OpenAPI changes: 3 breaking (1 allowed), 2 compatible**"
    );
    assert_eq!(lines[2], "| | operation | where | change | rule |");
    assert_eq!(
        lines[4],
        "| **breaking** | `POST /items/` | request body: property \"name\" | became required | `request-property-became-required` |"
    );
    assert_eq!(
        lines[8],
        "| allowed | `GET /legacy` | operation | removed | `operation-removed` |"
    );
    assert_eq!(lines.len(), 9);
    let empty = openapi_diff::format::render(&Report::default(), Format::Markdown);
    assert_eq!(empty, "**OpenAPI changes: 0 breaking, 0 compatible**\n");
}

#[test]
fn json_format() {
    let out = openapi_diff::format::render(&sample_report(), Format::Json);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 5);
    assert_eq!(
        v[0],
        json!({
            "rule": "request-property-became-required",
            "breaking": true,
            "allowed": false,
            "operation": "POST /items/",
            "location": "request body: property \"name\"",
            "message": "became required",
        })
    );
    assert_eq!(
        openapi_diff::format::render(&Report::default(), Format::Json),
        "[]\n"
    );
}

#[test]
fn allow_by_rule_and_by_operation() {
    let mut report = sample_report();
    assert_eq!(report.blocking(), 3);
    report.allow(&["operation-removed@get /legacy".parse().unwrap()]);
    assert_eq!(report.blocking(), 2);
    report.allow(&[
        "request-property-became-required".parse().unwrap(),
        "max-length-decreased@POST /items/".parse().unwrap(),
    ]);
    assert_eq!((report.blocking(), report.allowed()), (1, 2));
    // Allowing a compatible change's rule does not mark the compatible change.
    assert!(report
        .changes
        .iter()
        .filter(|c| !c.breaking)
        .all(|c| !c.allowed));
    // Path parameter names do not matter.
    let a: Allow = "operation-removed@DELETE /items/{name}".parse().unwrap();
    let change = openapi_diff::Change {
        rule: "operation-removed",
        breaking: true,
        allowed: false,
        operation: Some("DELETE /items/{id}".into()),
        location: "operation".into(),
        message: "removed".into(),
    };
    assert!(a.matches(&change));
    let err = "operation-gone".parse::<Allow>().unwrap_err();
    assert!(err.contains("unknown rule `operation-gone`"), "{err}");
    assert!("operation-removed@/items".parse::<Allow>().is_err());
}

// ---------------------------------------------------------------------------------------
// Hostile documents

#[test]
fn not_openapi_documents_are_refused() {
    let good = doc(json!({}), json!({}));
    for (bad, says) in [
        (json!([]), "not a JSON object"),
        (json!({"paths": {}}), "no `openapi` version"),
        (json!({"swagger": "2.0", "paths": {}}), "Swagger 2.0"),
        (json!({"openapi": "2.0"}), "not 3.x"),
        (
            json!({"openapi": "3.1.0", "paths": []}),
            "`paths` is not an object",
        ),
    ] {
        let err = openapi_diff::diff(&bad, &good).unwrap_err();
        assert!(err.to_string().contains(says), "{err}");
        assert!(matches!(
            openapi_diff::diff(&good, &bad),
            Err(DiffError::NotOpenApi { .. })
        ));
    }
}

#[test]
fn a_ref_to_a_missing_component_is_an_error() {
    let old = request(json!({"$ref": "#/components/schemas/Item"}));
    let new = request_with(
        json!({"$ref": "#/components/schemas/Item"}),
        json!({"Item": {"type": "object"}}),
    );
    let err = openapi_diff::diff(&old, &new).unwrap_err();
    assert_eq!(
        err,
        DiffError::MissingRef {
            side: openapi_diff::Side::Old,
            reference: "#/components/schemas/Item".into()
        }
    );
    assert!(err.to_string().contains("does not contain"), "{err}");
    let external = request(json!({"$ref": "other.json#/Item"}));
    assert!(matches!(
        openapi_diff::diff(&external, &new),
        Err(DiffError::ExternalRef { .. })
    ));
}

#[test]
fn ref_cycles_end() {
    // Schemas that are bare references to each other describe nothing (any value).
    let schemas =
        json!({"A": {"$ref": "#/components/schemas/B"}, "B": {"$ref": "#/components/schemas/A"}});
    let d = request_with(json!({"$ref": "#/components/schemas/A"}), schemas);
    assert_eq!(rules_of(&d, &d), []);
    // Parameters that do are an error.
    let mut d = params(json!([{"$ref": "#/components/parameters/A"}]));
    d["components"]["parameters"] = json!({"A": {"$ref": "#/components/parameters/B"}, "B": {"$ref": "#/components/parameters/A"}});
    let err = openapi_diff::diff(&d, &d).unwrap_err();
    assert!(matches!(err, DiffError::RefCycle { .. }), "{err}");
    // Through allOf: each layer counts once.
    let schemas = json!({"A": {"allOf": [{"$ref": "#/components/schemas/A"}, object(json!({"x": {"type": "string"}}), &[])]}});
    let d = request_with(json!({"$ref": "#/components/schemas/A"}), schemas);
    assert_eq!(rules_of(&d, &d), []);
    // Mutually recursive through properties, changed: a bounded report.
    let pair = |t: &str| {
        json!({
            "A": {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/B"}, "v": {"type": t}}},
            "B": {"type": "object", "properties": {"a": {"$ref": "#/components/schemas/A"}}},
        })
    };
    let a = json!({"$ref": "#/components/schemas/A"});
    let b = json!({"$ref": "#/components/schemas/B"});
    let old = doc(
        json!({"/a": {"post": {"requestBody": {"content": {"application/json": {"schema": a}}}, "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": b}}}}}}}),
        pair("string"),
    );
    let new = doc(
        json!({"/a": {"post": {"requestBody": {"content": {"application/json": {"schema": a}}}, "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": b}}}}}}}),
        pair("integer"),
    );
    let report = openapi_diff::diff(&old, &new).unwrap();
    let found: Vec<(&str, &str)> = report
        .changes
        .iter()
        .map(|c| (c.rule, c.location.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            ("type-changed", "request body: property \"v\""),
            ("type-changed", "response 200: property \"a.v\""),
        ]
    );
}

/// Runs `f` on a thread with a large stack: building and dropping very deep values recurses
/// in serde_json, not in the diff.
fn with_big_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap()
}

#[test]
fn ten_thousand_deep_schemas_are_an_error_not_a_stack_overflow() {
    let deep = |leaf: &str| {
        let mut schema = json!({"type": leaf});
        for _ in 0..10_000 {
            // Not `json!`, which would copy `schema` at each level.
            let mut properties = serde_json::Map::new();
            properties.insert("a".into(), schema);
            let mut object = serde_json::Map::new();
            object.insert("type".into(), json!("object"));
            object.insert("properties".into(), Value::Object(properties));
            schema = Value::Object(object);
        }
        request(schema)
    };
    let (old, new) = with_big_stack(move || (deep("string"), deep("integer")));
    // On this test's ordinary stack.
    let result = openapi_diff::diff(&old, &new);
    assert!(
        matches!(result, Err(DiffError::TooDeep { .. })),
        "{result:?}"
    );
    assert!(result
        .unwrap_err()
        .to_string()
        .contains("more than 100 deep"));
    with_big_stack(move || drop((old, new)));
}

#[test]
fn long_ref_chains_and_allof_towers_are_bounded() {
    // 10,000 components, each a property pointing to the next.
    let chain = |n: usize| {
        let mut schemas = serde_json::Map::new();
        for i in 0..n {
            let next = json!({"$ref": format!("#/components/schemas/C{}", i + 1)});
            schemas.insert(format!("C{i}"), object(json!({"next": next}), &[]));
        }
        schemas.insert(format!("C{n}"), json!({"type": "string"}));
        request_with(
            json!({"$ref": "#/components/schemas/C0"}),
            Value::Object(schemas),
        )
    };
    let d = chain(10_000);
    assert!(matches!(
        openapi_diff::diff(&d, &d),
        Err(DiffError::TooDeep { .. })
    ));
    // A short chain is fine.
    let d = chain(50);
    assert_eq!(rules_of(&d, &d), []);
    // A tower of allOf references.
    let mut schemas = serde_json::Map::new();
    for i in 0..10_000 {
        schemas.insert(
            format!("C{i}"),
            json!({"allOf": [{"$ref": format!("#/components/schemas/C{}", i + 1)}]}),
        );
    }
    schemas.insert("C10000".into(), json!({"type": "string"}));
    let d = request_with(
        json!({"$ref": "#/components/schemas/C0"}),
        Value::Object(schemas),
    );
    assert!(matches!(
        openapi_diff::diff(&d, &d),
        Err(DiffError::TooDeep { .. })
    ));
}

#[test]
fn shared_components_do_not_blow_up() {
    // L0 has two properties pointing to L1, L1 two to L2, ...: 2^40 paths to the bottom.
    let levels = |bottom: &str| {
        let mut schemas = serde_json::Map::new();
        for i in 0..40 {
            let next = json!({"$ref": format!("#/components/schemas/L{}", i + 1)});
            schemas.insert(
                format!("L{i}"),
                object(json!({"left": next, "right": next}), &[]),
            );
        }
        schemas.insert("L40".into(), json!({"type": bottom}));
        response_with(
            json!({"$ref": "#/components/schemas/L0"}),
            Value::Object(schemas),
        )
    };
    let start = Instant::now();
    let (a, b) = (levels("string"), levels("integer"));
    assert_eq!(rules_of(&a, &a), []);
    // Each of the 2^40 places would be reported: the report's bound stops it.
    assert!(matches!(
        openapi_diff::diff(&a, &b),
        Err(DiffError::TooManyChanges { .. })
    ));
    assert!(
        start.elapsed() < Duration::from_secs(60),
        "{:?}",
        start.elapsed()
    );
}

/// About 50 MB: 20,000 operations sharing components, plus a long enum.
fn large_document(extra_value: bool) -> String {
    let mut paths = serde_json::Map::new();
    for i in 0..20_000 {
        let body = json!({"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Item"}}}});
        let ok = json!({"200": {"description": "x".repeat(2_000), "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Item"}}}}});
        paths.insert(
            format!("/items/{i}/{{id}}"),
            json!({"put": {"operationId": format!("put_{i}"), "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}], "requestBody": body, "responses": ok}}),
        );
    }
    let mut values: Vec<String> = (0..100_000).map(|i| format!("value-{i}")).collect();
    if extra_value {
        values.push("one-more".into());
    }
    let item = json!({"type": "object", "properties": {"name": {"type": "string"}, "kind": {"type": "string", "enum": values}}});
    serde_json::to_string(&doc(Value::Object(paths), json!({"Item": item}))).unwrap()
}

#[test]
fn a_50_megabyte_document_is_compared_in_bounded_time() {
    let text = large_document(false);
    assert!(text.len() > 45_000_000, "{} bytes", text.len());
    let old: Value = serde_json::from_str(&text).unwrap();
    let new: Value = serde_json::from_str(&large_document(true)).unwrap();
    let start = Instant::now();
    assert_eq!(rules_of(&old, &old), []);
    let report = openapi_diff::diff(&old, &new).unwrap();
    // The enum value is new in each operation's request (compatible) and response (breaking).
    assert_eq!(report.changes.len(), 40_000);
    assert_eq!(report.breaking(), 20_000);
    assert!(
        start.elapsed() < Duration::from_secs(120),
        "{:?}",
        start.elapsed()
    );
}

// ---------------------------------------------------------------------------------------
// The command line, through a real app

#[model]
struct Item {
    name: String,
    #[field(max_length = 50)]
    note: Option<String>,
}

#[post("/items/")]
async fn create_item(item: Json<Item>) -> Json<Item> {
    item
}

#[get("/items/{id}")]
async fn read_item(id: u32) -> Json<Item> {
    Json(Item {
        name: id.to_string(),
        note: None,
    })
}

fn app() -> App {
    App::new()
        .title("Items")
        .version("1.0.0")
        .routes(routes![create_item, read_item])
}

fn dir() -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("openapi_diff_cli");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(name: &str, doc: &Value) -> String {
    let path = dir().join(name);
    std::fs::write(&path, serde_json::to_string_pretty(doc).unwrap()).unwrap();
    path.to_str().unwrap().to_string()
}

fn run(args: &[&str]) -> i32 {
    let mut all = vec!["app"];
    all.extend_from_slice(args);
    ferrapi::cli::run(app(), all)
}

#[test]
fn cli_new_defaults_to_the_apps_document() {
    // The app's own document, in each version: nothing changed.
    for version in ["3.0", "3.1", "3.2"] {
        let path = dir().join(format!("current-{version}.json"));
        let path = path.to_str().unwrap();
        assert_eq!(
            run(&["openapi", "--spec-version", version, "--out", path]),
            0
        );
        assert_eq!(run(&["openapi", "diff", path]), 0, "{version}");
    }
    // A released document with one more operation: the app removed it.
    let mut released = app().openapi_value().unwrap();
    released["paths"]["/legacy"] = json!({"get": {"responses": {"200": {"description": "OK"}}}});
    let released = write("released.json", &released);
    assert_eq!(run(&["openapi", "diff", &released]), 1);
    for format in ["text", "markdown", "json"] {
        assert_eq!(
            run(&["openapi", "diff", &released, "--format", format]),
            1,
            "{format}"
        );
    }
    assert_eq!(
        run(&["openapi", "diff", &released, "--allow", "operation-removed"]),
        0
    );
    assert_eq!(
        run(&[
            "openapi",
            "diff",
            &released,
            "--allow",
            "operation-removed@GET /legacy"
        ]),
        0
    );
    assert_eq!(
        run(&[
            "openapi",
            "diff",
            &released,
            "--allow",
            "operation-removed@GET /other"
        ]),
        1
    );
    assert_eq!(
        run(&[
            "openapi",
            "diff",
            &released,
            "--allow",
            "parameter-removed",
            "--allow",
            "operation-removed"
        ]),
        0
    );
}

#[test]
fn cli_compares_two_files() {
    let old = app().openapi_value().unwrap();
    let mut tightened = old.clone();
    tightened["components"]["schemas"]["Item"]["properties"]["note"]["maxLength"] = json!(20);
    assert_ne!(old, tightened, "the document has the expected shape");
    let (old_path, new_path) = (
        write("two-old.json", &old),
        write("two-new.json", &tightened),
    );
    assert_eq!(run(&["openapi", "diff", &old_path, &old_path]), 0);
    // Tightened in the request (breaking), in the response compatible.
    assert_eq!(
        run(&["openapi", "diff", &old_path, &new_path, "--format", "json"]),
        1
    );
    assert_eq!(
        run(&[
            "openapi",
            "diff",
            &old_path,
            &new_path,
            "--allow",
            "max-length-decreased"
        ]),
        0
    );
    // The other way round it loosens: breaking in the response.
    assert_eq!(run(&["openapi", "diff", &new_path, &old_path]), 1);
    // Both responses break: allowing one operation is not enough (path names do not matter).
    let get = "max-length-increased@GET /items/{item_id}";
    let post = "max-length-increased@POST /items/";
    assert_eq!(
        run(&["openapi", "diff", &new_path, &old_path, "--allow", get]),
        1
    );
    assert_eq!(
        run(&["openapi", "diff", &new_path, &old_path, "--allow", get, "--allow", post]),
        0
    );
    let report = openapi_diff::diff(&old, &tightened).unwrap();
    let found: Vec<(&str, bool, &str)> = report
        .changes
        .iter()
        .map(|c| (c.rule, c.breaking, c.operation.as_deref().unwrap()))
        .collect();
    assert_eq!(
        found,
        [
            ("max-length-decreased", true, "POST /items/"),
            ("max-length-decreased", false, "POST /items/"),
            ("max-length-decreased", false, "GET /items/{id}")
        ]
    );
}

#[test]
fn cli_usage_and_read_errors_exit_2() {
    let good = write("good.json", &app().openapi_value().unwrap());
    let bad_json = dir().join("bad.json");
    std::fs::write(&bad_json, "{\"openapi\": ").unwrap();
    let not_openapi = write("not-openapi.json", &json!({"hello": "world"}));
    let swagger = write("swagger.json", &json!({"swagger": "2.0", "paths": {}}));
    let missing_ref = write(
        "missing-ref.json",
        &request(json!({"$ref": "#/components/schemas/Nope"})),
    );
    let bad_json = bad_json.to_str().unwrap();
    for args in [
        vec!["openapi", "diff"],
        vec!["openapi", "diff", "/no/such/file.json"],
        vec!["openapi", "diff", bad_json],
        vec!["openapi", "diff", &good, bad_json],
        vec!["openapi", "diff", &not_openapi],
        vec!["openapi", "diff", &swagger],
        vec!["openapi", "diff", &missing_ref, &missing_ref],
        vec!["openapi", "diff", &good, "--format", "yaml"],
        vec!["openapi", "diff", &good, "--allow", "no-such-rule"],
        vec![
            "openapi",
            "diff",
            &good,
            "--allow",
            "operation-removed@nowhere",
        ],
        vec!["openapi", "--out", "x.json", "diff", &good],
    ] {
        assert_eq!(run(&args), 2, "{args:?}");
    }
    // `openapi --check` and `--out` still work as before.
    assert_eq!(run(&["openapi", "--check", &good]), 0);
    let out = dir().join("out.json");
    assert_eq!(run(&["openapi", "--out", out.to_str().unwrap()]), 0);
}

#[test]
fn cli_hostile_files_exit_2() {
    // 10,000 nested arrays: serde_json's recursion limit refuses it.
    let deep = dir().join("deep.json");
    let text = format!(
        "{{\"openapi\": \"3.1.0\", \"paths\": {{}}, \"x-deep\": {}{}}}",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    std::fs::write(&deep, text).unwrap();
    assert_eq!(run(&["openapi", "diff", deep.to_str().unwrap()]), 2);
    // A 50 MB document against itself and against a changed copy.
    let big_old = dir().join("big-old.json");
    let big_new = dir().join("big-new.json");
    std::fs::write(&big_old, large_document(false)).unwrap();
    std::fs::write(&big_new, large_document(true)).unwrap();
    let (big_old, big_new) = (big_old.to_str().unwrap(), big_new.to_str().unwrap());
    assert_eq!(
        run(&["openapi", "diff", big_old, big_old, "--format", "json"]),
        0
    );
    assert_eq!(
        run(&["openapi", "diff", big_old, big_new, "--format", "json"]),
        1
    );
    assert_eq!(
        run(&[
            "openapi",
            "diff",
            big_old,
            big_new,
            "--allow",
            "enum-value-added"
        ]),
        0
    );
}
