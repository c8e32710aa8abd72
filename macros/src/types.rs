//! What the macros can tell from a type's tokens alone: the primitives read from the query
//! when unannotated, the WebSocket connection, the body extractors (for better errors).
//! Behaviour is never chosen by a type's name beyond these; the generated code goes by
//! traits.

use syn::Type;

/// Type names that are read from the query string when unannotated (see the guide's table).
pub(crate) const PRIMITIVES: &[&str] = &[
    "i8",
    "i16",
    "i32",
    "i64",
    "i128",
    "isize",
    "u8",
    "u16",
    "u32",
    "u64",
    "u128",
    "usize",
    "f32",
    "f64",
    "bool",
    "char",
    "String",
    "Uuid",
    "NaiveDate",
    "NaiveTime",
    "NaiveDateTime",
    "DateTime",
];

pub(crate) fn last_segment(ty: &Type) -> Option<&syn::PathSegment> {
    match ty {
        Type::Path(p) if p.qself.is_none() => p.path.segments.last(),
        _ => None,
    }
}

pub(crate) fn generic_arg(seg: &syn::PathSegment) -> Option<&Type> {
    match &seg.arguments {
        syn::PathArguments::AngleBracketed(a) => a.args.iter().find_map(|g| match g {
            syn::GenericArgument::Type(t) => Some(t),
            _ => None,
        }),
        _ => None,
    }
}

/// A primitive, or `Option`/`Vec` of one.
pub(crate) fn is_primitive(ty: &Type) -> bool {
    let Some(seg) = last_segment(ty) else {
        return false;
    };
    let name = seg.ident.to_string();
    if name == "Option" || name == "Vec" {
        return generic_arg(seg).map(is_primitive).unwrap_or(false);
    }
    PRIMITIVES.contains(&name.as_str())
}

/// Whether the type is the connection of a `#[websocket]` handler, `WebSocket` or
/// `JsonSocket<In, Out>` (by name: it is not an extractor, the macro hands it over after the
/// upgrade through `FromSocket`, so a wrong type is still the compiler's error).
pub(crate) fn is_websocket(ty: &Type) -> bool {
    last_segment(ty)
        .map(|s| s.ident == "WebSocket" || s.ident == "JsonSocket")
        .unwrap_or(false)
}

/// Whether the type's name is one of ferrapi's or axum's body extractors (used only to
/// give better errors; the generated code goes by traits).
pub(crate) fn looks_like_body(ty: &Type) -> bool {
    last_segment(ty)
        .map(|s| {
            matches!(
                s.ident.to_string().as_str(),
                "Json" | "Form" | "Multipart" | "Bytes" | "RawForm"
            )
        })
        .unwrap_or(false)
}
