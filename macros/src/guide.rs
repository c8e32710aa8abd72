//! `guide_page!("guide/models.md")`: one page of the guide as a string literal for
//! `#[doc = ...]`, with its links between pages turned into rustdoc links, so the guide
//! that GitHub renders from `docs/` is also `ferrapi::guide` on docs.rs.
//!
//! A page links to another as `[text](models.md#section)`, which only works next to the
//! file; rustdoc needs `[text](crate::guide::models#section)`. Links to anything else in the
//! repository go to the crate's `repository` URL; code blocks are left untouched.

use proc_macro2::{Span, TokenStream};
use quote::quote;
use std::path::{Path, PathBuf};

/// Expands `guide_page!("relative/path.md")`, the path relative to the calling crate's
/// manifest directory.
pub(crate) fn expand(input: TokenStream) -> TokenStream {
    let lit: syn::LitStr = match syn::parse2(input) {
        Ok(lit) => lit,
        Err(e) => return e.to_compile_error(),
    };
    let fail = |msg: String| syn::Error::new(lit.span(), msg).to_compile_error();
    let Ok(dir) = std::env::var("CARGO_MANIFEST_DIR") else {
        return fail("guide_page! runs under cargo (CARGO_MANIFEST_DIR is not set)".into());
    };
    let path = PathBuf::from(dir).join(lit.value());
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => return fail(format!("cannot read {}: {e}", path.display())),
    };
    let repository = std::env::var("CARGO_PKG_REPOSITORY").unwrap_or_default();
    let page = rewrite(&text, path.parent().unwrap_or(Path::new(".")), &repository);
    let out = syn::LitStr::new(&page, Span::call_site());
    quote!(#out)
}

/// The module under `crate::guide` that holds the page `file` (`bigger-applications.md`
/// is `bigger_applications`; the guide's own `README.md` is `guide` itself).
fn module_of(file: &str) -> Option<String> {
    let stem = file.strip_suffix(".md")?;
    if stem.contains('/') {
        return None;
    }
    Some(if stem == "README" {
        "crate::guide".into()
    } else {
        format!("crate::guide::{}", stem.replace('-', "_"))
    })
}

fn rewrite_target(target: &str, dir: &Path, repository: &str) -> String {
    if target.starts_with('#') || target.contains("://") || target.starts_with("mailto:") {
        return target.into();
    }
    let (file, frag) = match target.split_once('#') {
        Some((file, frag)) => (file, format!("#{frag}")),
        None => (target, String::new()),
    };
    if file == "../README.md" {
        return format!("crate{frag}");
    }
    if let Some(module) = module_of(file).filter(|_| dir.join(file).exists()) {
        return format!("{module}{frag}");
    }
    // Anything else in the repository: the file on the repository's site.
    let mut parts: Vec<&str> = Vec::new();
    let joined = format!("docs/{file}");
    for part in joined.split('/') {
        match part {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            other => parts.push(other),
        }
    }
    format!(
        "{}/blob/main/{}{frag}",
        repository.trim_end_matches('/'),
        parts.join("/")
    )
}

/// Rewrites every inline link `](target)` outside fenced code blocks and inline code.
fn rewrite(text: &str, dir: &Path, repository: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_fence = false;
    for line in text.split_inclusive('\n') {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
        }
        if in_fence {
            out.push_str(line);
            continue;
        }
        let mut in_code = false;
        let mut rest = line;
        while let Some(i) = rest.find(['`', ']']) {
            let (before, after) = rest.split_at(i);
            out.push_str(before);
            if let Some(code) = after.strip_prefix('`') {
                in_code = !in_code;
                out.push('`');
                rest = code;
                continue;
            }
            match after
                .strip_prefix("](")
                .and_then(|a| a.find(')').map(|end| (a, end)))
            {
                Some((a, end)) if !in_code => {
                    out.push_str("](");
                    out.push_str(&rewrite_target(&a[..end], dir, repository));
                    out.push(')');
                    rest = &a[end + 1..];
                }
                _ => {
                    out.push(']');
                    rest = &after[1..];
                }
            }
        }
        out.push_str(rest);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir() -> PathBuf {
        let dir = std::env::temp_dir().join(format!("ferrapi-guide-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("models.md"), "").unwrap();
        std::fs::write(dir.join("bigger-applications.md"), "").unwrap();
        dir
    }

    #[test]
    fn links_between_pages_become_module_links() {
        let d = dir();
        let page = "See [models](models.md#enums) and [apps](bigger-applications.md).\n\
                    The [readme](../README.md), [shop](../examples/shop/README.md), \
                    [up](#top), [web](https://example.org/a.md), `[x](models.md)`.\n\
                    ```rust\nlet v = [a](models.md);\n```\n[missing](nowhere.md)\n";
        let out = rewrite(page, &d, "https://git.example/ferrapi/");
        assert_eq!(
            out,
            "See [models](crate::guide::models#enums) and \
             [apps](crate::guide::bigger_applications).\n\
             The [readme](crate), \
             [shop](https://git.example/ferrapi/blob/main/examples/shop/README.md), \
             [up](#top), [web](https://example.org/a.md), `[x](models.md)`.\n\
             ```rust\nlet v = [a](models.md);\n```\n\
             [missing](https://git.example/ferrapi/blob/main/docs/nowhere.md)\n"
        );
    }
}
