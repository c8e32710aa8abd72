//! The handler function as the route macros read it (signature parsed, body opaque), and
//! what they emit for it when the attribute has errors.

use proc_macro2::TokenStream;
use quote::ToTokens;
use syn::parse::{Parse, ParseStream};
use syn::{Attribute, FnArg, Signature, Visibility};

/// A handler function as the macro reads it: attributes, visibility and signature, with
/// the body kept as opaque tokens. A syntax error inside the body is then the compiler's
/// ordinary error, not the macro's, and the body is emitted exactly as written.
#[derive(Clone)]
pub(crate) struct HandlerFn {
    pub attrs: Vec<Attribute>,
    pub vis: Visibility,
    pub sig: Signature,
    pub body: proc_macro2::Group,
}

impl Parse for HandlerFn {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let attrs = input.call(Attribute::parse_outer)?;
        let vis: Visibility = input.parse()?;
        let sig: Signature = input.parse()?;
        let body: proc_macro2::Group = input.parse()?;
        if body.delimiter() != proc_macro2::Delimiter::Brace {
            return Err(syn::Error::new(
                body.span(),
                "expected the function's body `{ ... }`",
            ));
        }
        Ok(HandlerFn {
            attrs,
            vis,
            sig,
            body,
        })
    }
}

impl ToTokens for HandlerFn {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        for a in &self.attrs {
            a.to_tokens(tokens);
        }
        self.vis.to_tokens(tokens);
        self.sig.to_tokens(tokens);
        self.body.to_tokens(tokens);
    }
}

/// The names of the attributes the route macros read on arguments.
pub(crate) const ARG_ATTRIBUTES: &[&str] =
    &["query", "header", "cookie", "path", "form", "file", "body"];

/// What a route attribute still emits when it has errors: the function as written (its
/// argument attributes removed, so they are not reported as unknown), and a companion that
/// satisfies `routes![...]`, so the only errors are the real ones and an IDE keeps the body.
pub(crate) fn fallback(item: TokenStream, companion: bool) -> TokenStream {
    let Ok(mut func) = syn::parse2::<HandlerFn>(item.clone()) else {
        return TokenStream::new();
    };
    for input in func.sig.inputs.iter_mut() {
        if let FnArg::Typed(pt) = input {
            pt.attrs
                .retain(|a| !ARG_ATTRIBUTES.iter().any(|n| a.path().is_ident(n)));
        }
    }
    if !companion {
        return func.into_token_stream();
    }
    let vis = &func.vis;
    let name = &func.sig.ident;
    let fn_name = name.to_string();
    let p = quote::quote!(::ferrapi::__private);
    quote::quote! {
        #[allow(clippy::too_many_arguments, dead_code)]
        #func

        #[doc(hidden)]
        #[allow(non_camel_case_types, missing_docs)]
        #vis struct #name {}

        impl #p::Endpoint for #name {
            const INFO: #p::RouteInfo = #p::RouteInfo {
                methods: &[],
                path: "/",
                fn_name: #fn_name,
                summary: ::core::option::Option::None,
                description: ::core::option::Option::None,
                operation_id: ::core::option::Option::None,
                tags: &[],
                scopes: &[],
                deprecated: false,
                status: ::core::option::Option::None,
                include_in_schema: false,
                response_description: ::core::option::Option::None,
                websocket: false,
            };
            fn method_router() -> #p::axum::routing::MethodRouter<#p::AppState> {
                #p::axum::routing::MethodRouter::new()
            }
            fn document(_: &mut #p::DocCtx, _: &mut #p::Operation) {}
        }
    }
}
