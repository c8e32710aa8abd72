//! Following `$ref`s inside one document, with a bound on chains.

use serde_json::Value;

use super::{DiffError, Side};

/// The longest chain of `$ref`s to `$ref`s followed before giving up (a cycle of bare
/// references, `A: {$ref: B}`, `B: {$ref: A}`, describes nothing).
const MAX_HOPS: usize = 32;

/// The value a local reference (`#/components/schemas/Item`) points to.
pub(super) fn lookup<'a>(
    doc: &'a Value,
    side: Side,
    reference: &str,
) -> Result<&'a Value, DiffError> {
    let Some(pointer) = reference.strip_prefix('#') else {
        return Err(DiffError::ExternalRef {
            side,
            reference: reference.to_string(),
        });
    };
    doc.pointer(pointer).ok_or_else(|| DiffError::MissingRef {
        side,
        reference: reference.to_string(),
    })
}

/// `value` itself, or what its `$ref` chain ends at (components of any kind: parameters,
/// request bodies, responses, headers, path items, schemas). Sibling keywords of a `$ref`
/// are dropped here; schemas keep them (see `view`).
pub(super) fn resolve<'a>(
    doc: &'a Value,
    side: Side,
    value: &'a Value,
) -> Result<&'a Value, DiffError> {
    let mut current = value;
    for _ in 0..MAX_HOPS {
        match current.get("$ref").and_then(Value::as_str) {
            Some(reference) => current = lookup(doc, side, reference)?,
            None => return Ok(current),
        }
    }
    Err(DiffError::RefCycle {
        side,
        reference: value
            .get("$ref")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
    })
}

/// The last segment of a reference: `Item` for `#/components/schemas/Item`.
pub(super) fn short_name(reference: &str) -> &str {
    reference.rsplit('/').next().unwrap_or(reference)
}
