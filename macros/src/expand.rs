//! Expansion of a checked [`Route`] into the user's function plus its endpoint type.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

use crate::attr::{constraints_tokens, opt_str};
use crate::route::{Arg, ArgKind, Route, RouteKind, Source};

pub(crate) fn expand_route(route: Route) -> TokenStream {
    let func = &route.func;
    let vis = &func.vis;
    let name = &func.sig.ident;
    let fn_name = name.to_string();
    let path = &route.path;
    let methods = &route.methods;
    let status = route.status.unwrap_or(200);
    let p = quote!(::ferrapi::__private);

    let has_body_method = !route.methods.iter().any(|m| m == "GET" || m == "HEAD");
    // `#[form]` fields read the body: every extractor argument then reads the request head.
    let has_form = route.args.iter().any(|a| {
        matches!(
            a.kind,
            ArgKind::Scalar {
                source: Source::Form | Source::File | Source::Body,
                ..
            }
        )
    });
    let body_index = if has_body_method && !has_form {
        route
            .args
            .iter()
            .rposition(|a| matches!(a.kind, ArgKind::Extractor))
    } else {
        None
    };

    let owner = quote!(#name);
    let Inputs {
        consts,
        extract_parts,
        path_setup,
        query_setup,
        cookie_setup,
        extract_scalars,
        release,
        extract_form,
        extract_body,
        doc_extractors,
        doc_scalars,
        call_args,
    } = inputs(
        &route.args,
        &route.dependencies,
        &owner,
        body_index,
        &|res| quote!(return #res),
    );

    let ret = &route.ret;
    // For WebSocket routes, the inputs are unwrapped before the upgrade and moved into it.
    let arg_vars: Vec<_> = route
        .args
        .iter()
        .enumerate()
        .filter(|(_, a)| !matches!(a.kind, ArgKind::Socket))
        .map(|(i, _)| format_ident!("__ferrapi_in{}", i))
        .collect();
    let call_args_unwrapped: Vec<_> = route
        .args
        .iter()
        .enumerate()
        .filter(|(_, a)| !matches!(a.kind, ArgKind::Socket))
        .map(|(i, _)| {
            let v = format_ident!("__ferrapi_arg{}", i);
            quote!(#v.unwrap())
        })
        .collect();
    let call_args_ws: Vec<_> = route
        .args
        .iter()
        .enumerate()
        .map(|(i, a)| match a.kind {
            ArgKind::Socket => {
                let ty = &a.ty;
                quote_spanned!(ty.span()=> <#ty as #p::FromSocket>::from_socket(__ferrapi_socket))
            }
            _ => {
                let v = format_ident!("__ferrapi_in{}", i);
                quote!(#v)
            }
        })
        .collect();
    let summary = opt_str(&route.summary);
    let description = opt_str(&route.description);
    let operation_id = opt_str(&route.operation_id);
    let response_description = opt_str(&route.response_description);
    // Only a route that declares versions says so: the output of the others is unchanged
    // (the trait's default is every version).
    let versions = route.versions.as_ref().map(|r| {
        let bound = |v: Option<crate::route::Semver>| match v {
            Some((a, b, c)) => quote!(::core::option::Option::Some(#p::Version::new(#a, #b, #c))),
            None => quote!(::core::option::Option::None),
        };
        let (from, until) = (bound(r.from), bound(r.until));
        quote! {
            const VERSIONS: #p::Versions = #p::Versions::between(#from, #until);
        }
    });
    let tags = &route.tags;
    let scopes = &route.scopes;
    let scope_doc = (!scopes.is_empty()).then(|| {
        quote! {
            for __ferrapi_s in [#(#scopes),*] {
                if !__ferrapi_op.scopes.iter().any(|h| h == __ferrapi_s) {
                    __ferrapi_op.scopes.push(__ferrapi_s.to_string());
                }
            }
        }
    });
    let deprecated = route.deprecated;
    // WebSocket routes are never in the OpenAPI document, as in FastAPI (AsyncAPI shows them).
    let include = route.include_in_schema;
    let websocket = route.kind == RouteKind::WebSocket;
    let status_opt = opt_str(&route.status);
    let mut filters = methods.iter().map(|m| {
        let id = format_ident!("{}", m);
        quote!(#p::axum::routing::MethodFilter::#id)
    });
    let first_filter = filters.next();
    let rest_filters: Vec<_> = filters.collect();
    let extra_responses = route.responses.iter().map(|r| {
        let ty = &r.ty;
        let status = &r.status;
        let desc = match &r.description {
            Some(d) => d.value(),
            None => default_description(status).to_string(),
        };
        match &r.media {
            Some(media) => quote_spanned! {ty.span()=>
                #p::doc_response_media::<#ty>(__ferrapi_ctx, __ferrapi_op, #status, #desc, #media);
            },
            None => quote_spanned! {ty.span()=>
                let __ferrapi_schema = <#ty as #p::ResponseModel>::response_schema(__ferrapi_ctx);
                #p::doc_response(__ferrapi_op, #status, #desc, __ferrapi_schema);
            },
        }
    });
    let body_doc = body_doc_tokens(&route);
    let ret_span = ret.span();
    let respond = quote_spanned! {ret_span=>
        (&&&&&#p::Ret::new(__ferrapi_ret)).__ferrapi_respond(__ferrapi_status)
    };
    let doc_ret = if let Some(rm) = &route.response_model {
        // The answer is documented as the response model, whatever the handler returns.
        let ty = &rm.ty;
        quote_spanned! {ty.span()=>
            (&&&&&#p::RetDoc::<::ferrapi::Json<#ty>>(::core::marker::PhantomData)).__ferrapi_doc_ret(__ferrapi_ctx, __ferrapi_status, &mut __ferrapi_op.responses);
        }
    } else if matches!(ret, syn::Type::ImplTrait(_)) {
        // `impl IntoResponse`: the type cannot be named, so the response is documented
        // without a schema, as FastAPI does without a response model.
        quote!(#p::doc_opaque_return(__ferrapi_status, &mut __ferrapi_op.responses);)
    } else {
        quote_spanned! {ret_span=>
            (&&&&&#p::RetDoc::<#ret>(::core::marker::PhantomData)).__ferrapi_doc_ret(__ferrapi_ctx, __ferrapi_status, &mut __ferrapi_op.responses);
        }
    };
    let (upgrade, invalid, call) = if websocket {
        (
            quote! {
                let __ferrapi_upgrade = match #p::websocket_upgrade(&mut __ferrapi_parts, &__ferrapi_state).await {
                    ::core::result::Result::Ok(u) => u,
                    ::core::result::Result::Err(r) => return r,
                };
            },
            quote!(return #p::websocket_reject(__ferrapi_upgrade, __ferrapi_errors);),
            {
                let size = |v: &Option<syn::LitInt>, default: TokenStream| match v {
                    Some(n) => quote!(#n),
                    None => default,
                };
                let max_message = size(
                    &route.max_message_size,
                    quote!(#p::WebSocketLimits::default().max_message_size),
                );
                // A browser sends each message as one frame: frames may be as large as
                // messages unless the route says otherwise.
                let max_frame = size(&route.max_frame_size, max_message.clone());
                quote! {
                    #(let #arg_vars = #call_args_unwrapped;)*
                    let __ferrapi_limits = #p::WebSocketLimits {
                        max_message_size: #max_message,
                        max_frame_size: #max_frame,
                    };
                    #p::websocket_session(__ferrapi_upgrade, &__ferrapi_state, __ferrapi_limits, move |__ferrapi_socket| async move {
                        let _ = #name(#(#call_args_ws),*).await;
                    })
                }
            },
        )
    } else {
        (
            quote!(),
            quote!(return #p::axum::response::IntoResponse::into_response(__ferrapi_errors);),
            match &route.response_model {
                None => quote! {
                    let __ferrapi_status = #p::http::StatusCode::from_u16(#status).unwrap_or(#p::http::StatusCode::OK);
                    let __ferrapi_ret = #name(#(#call_args),*).await;
                    #respond
                },
                Some(rm) => {
                    let ty = &rm.ty;
                    let (u, n, d, a) = (
                        rm.exclude_unset,
                        rm.exclude_none,
                        rm.exclude_defaults,
                        rm.by_alias,
                    );
                    quote_spanned! {ty.span()=>
                        let __ferrapi_status = #p::http::StatusCode::from_u16(#status).unwrap_or(#p::http::StatusCode::OK);
                        let __ferrapi_ret = #name(#(#call_args),*).await;
                        let __ferrapi_res = #respond;
                        // The model's schemas, read once for this route (`exclude_defaults`).
                        static __FERRAPI_SCHEMAS: ::std::sync::OnceLock<#p::SchemaSet> = ::std::sync::OnceLock::new();
                        #p::shape_response::<#ty>(__ferrapi_res, #p::ResponseShape {
                            exclude_unset: #u, exclude_none: #n, exclude_defaults: #d, by_alias: #a,
                        }, &__FERRAPI_SCHEMAS).await
                    }
                }
            },
        )
    };

    quote! {
        // Handlers take one argument per input, so long signatures are normal here.
        #[allow(clippy::too_many_arguments)]
        #func

        #[doc(hidden)]
        #[allow(non_camel_case_types, missing_docs)]
        #vis struct #name {}

        #[doc(hidden)]
        #[allow(non_upper_case_globals)]
        impl #name {
            #(#consts)*
        }

        impl #p::Endpoint for #name {
            const INFO: #p::RouteInfo = #p::RouteInfo {
                methods: &[#(#methods),*],
                path: #path,
                fn_name: #fn_name,
                summary: #summary,
                description: #description,
                operation_id: #operation_id,
                tags: &[#(#tags),*],
                scopes: &[#(#scopes),*],
                deprecated: #deprecated,
                status: #status_opt,
                include_in_schema: #include,
                websocket: #websocket,
                response_description: #response_description,
            };
            #versions

            fn method_router() -> #p::axum::routing::MethodRouter<#p::AppState> {
                #[allow(unused_variables, unused_mut, deprecated, clippy::all)]
                async fn __ferrapi_handler(
                    __ferrapi_state: #p::AppState,
                    __ferrapi_req: #p::axum::extract::Request,
                ) -> #p::axum::response::Response {
                    #[allow(unused_imports)]
                    use #p::{RejectViaFerrapi as _, RejectViaResponse as _, RetViaApi as _, RetViaResult as _, RetViaModel as _, RetViaIntoResponse as _, RetViaNothing as _};
                    let (mut __ferrapi_parts, __ferrapi_body) = __ferrapi_req.into_parts();
                    let mut __ferrapi_errors = #p::ValidationErrors::new();
                    #upgrade
                    #(#extract_parts)*
                    #path_setup
                    #query_setup
                    #cookie_setup
                    #(#extract_scalars)*
                    #release
                    #extract_form
                    #extract_body
                    if !__ferrapi_errors.is_empty() {
                        #invalid
                    }
                    #call
                }
                #p::endpoint_route(#first_filter #(.or(#rest_filters))*, |__ferrapi_state, __ferrapi_req| ::std::boxed::Box::pin(__ferrapi_handler(__ferrapi_state, __ferrapi_req)))
            }

            #[allow(unused_imports, unused_variables, clippy::all)]
            fn document(__ferrapi_ctx: &mut #p::DocCtx, __ferrapi_op: &mut #p::Operation) {
                use #p::{DocViaApiInput as _, DocViaNothing as _, RetDocViaApi as _, RetDocViaResult as _, RetDocViaModel as _, RetDocViaIntoResponse as _, RetDocViaNothing as _};
                let __ferrapi_status = #p::http::StatusCode::from_u16(#status).unwrap_or(#p::http::StatusCode::OK);
                #scope_doc
                #(#doc_extractors)*
                #(#doc_scalars)*
                #body_doc
                #doc_ret
                #(#extra_responses)*
            }
        }
    }
}

/// A JSON value from an example expression: `json!(...)` (whichever `json` the user named)
/// is read with ferrapi's `serde_json`, anything else is serialized.
fn json_value(e: &syn::Expr) -> TokenStream {
    let p = quote!(::ferrapi::__private);
    match e {
        syn::Expr::Macro(m)
            if m.mac
                .path
                .segments
                .last()
                .is_some_and(|s| s.ident == "json") =>
        {
            let tokens = &m.mac.tokens;
            quote!(#p::serde_json::json!(#tokens))
        }
        e => quote!(#p::serde_json::json!(#e)),
    }
}

/// The `body(...)` option: examples written onto the documented request body.
fn body_doc_tokens(route: &Route) -> TokenStream {
    let p = quote!(::ferrapi::__private);
    let b = &route.body;
    if b.examples.is_empty() && b.openapi_examples.is_empty() {
        return TokenStream::new();
    }
    let examples = if b.examples.is_empty() {
        quote!(::core::option::Option::None)
    } else {
        let ex = b.examples.iter().map(json_value);
        quote!(::core::option::Option::Some(::std::vec![#(#ex),*]))
    };
    let named = b.openapi_examples.iter().map(|n| {
        let name = &n.name;
        let text = |v: &Option<syn::LitStr>| match v {
            Some(s) => quote!(::core::option::Option::Some(::std::string::String::from(#s))),
            None => quote!(::core::option::Option::None),
        };
        let summary = text(&n.summary);
        let description = text(&n.description);
        let external_value = text(&n.external_value);
        let value = match &n.value {
            Some(v) => {
                let v = json_value(v);
                quote!(::core::option::Option::Some(#v))
            }
            None => quote!(::core::option::Option::None),
        };
        quote! {
            __ferrapi_named.push((#name, #p::Example {
                summary: #summary,
                description: #description,
                value: #value,
                external_value: #external_value,
            }));
        }
    });
    quote! {
        let mut __ferrapi_named: ::std::vec::Vec<(&str, #p::Example)> = ::std::vec::Vec::new();
        #(#named)*
        #p::doc_body_examples(__ferrapi_op, #examples, __ferrapi_named);
    }
}

fn default_description(status: &str) -> &'static str {
    match status {
        "200" => "Successful Response",
        "201" => "Created",
        "202" => "Accepted",
        "204" => "No Content",
        "400" => "Bad Request",
        "401" => "Unauthorized",
        "403" => "Forbidden",
        "404" => "Not Found",
        "405" => "Method Not Allowed",
        "409" => "Conflict",
        "413" => "Content Too Large",
        "422" => "Unprocessable Content",
        "429" => "Too Many Requests",
        "500" => "Internal Server Error",
        "503" => "Service Unavailable",
        _ => "Additional Response",
    }
}

/// The code that reads a handler's (or dependency's) inputs.
pub(crate) struct Inputs {
    pub consts: Vec<TokenStream>,
    pub extract_parts: Vec<TokenStream>,
    pub path_setup: Option<TokenStream>,
    pub query_setup: Option<TokenStream>,
    pub cookie_setup: Option<TokenStream>,
    pub extract_scalars: Vec<TokenStream>,
    /// Ends the borrows of the request parts taken for scalars, before the body consumes them.
    pub release: TokenStream,
    /// Reads the `#[form]` fields from the body (after `release`).
    pub extract_form: TokenStream,
    pub extract_body: TokenStream,
    pub doc_extractors: Vec<TokenStream>,
    pub doc_scalars: Vec<TokenStream>,
    pub call_args: Vec<TokenStream>,
}

/// Builds the extraction and documentation code for `args`. `owner` is the type holding the
/// constraint constants; `early` turns a response expression into the early exit of the
/// surrounding function.
pub(crate) fn inputs(
    args: &[Arg],
    dependencies: &[syn::Type],
    owner: &TokenStream,
    body_index: Option<usize>,
    early: &dyn Fn(TokenStream) -> TokenStream,
) -> Inputs {
    let p = quote!(::ferrapi::__private);
    let early_res = early(quote!(__ferrapi_res));
    let early_rej = early(quote!(#p::axum::response::IntoResponse::into_response(__ferrapi_rej)));
    let mut consts = Vec::new();
    let mut extract_parts = Vec::new();
    let mut extract_scalars: Vec<(Source, TokenStream)> = Vec::new();
    let mut extract_body = TokenStream::new();
    let mut doc_extractors = Vec::new();
    let mut doc_scalars: Vec<(Source, TokenStream)> = Vec::new();
    let mut call_args = Vec::new();
    let (mut needs_path, mut needs_query, mut needs_cookies) = (false, false, false);
    let mut needs_form = false;
    let mut needs_json_parts = false;

    // The route's own `dependencies = [...]` run first, as FastAPI solves them before the
    // endpoint's parameters; their values are dropped.
    for ty in dependencies {
        let span = ty.span();
        extract_parts.push(quote_spanned! {span=>
            if let Err(__ferrapi_rej) = <#ty as #p::axum::extract::FromRequestParts<#p::AppState>>::from_request_parts(&mut __ferrapi_parts, &__ferrapi_state).await {
                if let ::core::option::Option::Some(__ferrapi_res) = (&&#p::Reject::new(__ferrapi_rej)).__ferrapi_reject(&mut __ferrapi_errors) {
                    #early_res
                }
            }
        });
        doc_extractors.push(quote_spanned! {span=>
            (&&#p::DocProbe::<#ty>(::core::marker::PhantomData)).__ferrapi_doc(__ferrapi_ctx, __ferrapi_op);
        });
    }

    for (i, arg) in args.iter().enumerate() {
        let ty = &arg.ty;
        let var = format_ident!("__ferrapi_arg{}", i);
        call_args.push(quote!(#var.unwrap()));
        match &arg.kind {
            ArgKind::Socket => {
                call_args.pop();
                call_args.push(quote!(__ferrapi_socket));
                let span = ty.span();
                doc_extractors.push(quote_spanned! {span=>
                    <#ty as #p::FromSocket>::describe(__ferrapi_ctx, &mut __ferrapi_op.messages);
                });
            }
            ArgKind::Extractor => {
                let span = ty.span();
                let reject = quote! {
                    Err(__ferrapi_rej) => match (&&#p::Reject::new(__ferrapi_rej)).__ferrapi_reject(&mut __ferrapi_errors) {
                        ::core::option::Option::Some(__ferrapi_res) => #early_res,
                        ::core::option::Option::None => ::core::option::Option::None,
                    },
                };
                if Some(i) == body_index {
                    // A type named like a body extractor (`Json<T>`, `Form<T>`, ...) is read
                    // with axum's default marker (`ViaRequest`): with a single candidate
                    // impl, the compiler reports the missing bound (`T: Validate`: "add
                    // `#[model]`") rather than "not a valid axum extractor", twice. Other
                    // types keep `_`, so a parts extractor can be last too.
                    let via = if crate::types::looks_like_body(ty) {
                        quote!()
                    } else {
                        quote!(, _)
                    };
                    extract_body = quote_spanned! {span=>
                        let __ferrapi_req = #p::axum::extract::Request::from_parts(__ferrapi_parts, __ferrapi_body);
                        let #var: ::core::option::Option<#ty> = match <#ty as #p::axum::extract::FromRequest<#p::AppState #via>>::from_request(__ferrapi_req, &__ferrapi_state).await {
                            Ok(__ferrapi_v) => ::core::option::Option::Some(__ferrapi_v),
                            #reject
                        };
                    };
                } else {
                    extract_parts.push(quote_spanned! {span=>
                        let #var: ::core::option::Option<#ty> = match <#ty as #p::axum::extract::FromRequestParts<#p::AppState>>::from_request_parts(&mut __ferrapi_parts, &__ferrapi_state).await {
                            Ok(__ferrapi_v) => ::core::option::Option::Some(__ferrapi_v),
                            #reject
                        };
                    });
                }
                doc_extractors.push(quote_spanned! {span=>
                    (&&#p::DocProbe::<#ty>(::core::marker::PhantomData)).__ferrapi_doc(__ferrapi_ctx, __ferrapi_op);
                });
            }
            ArgKind::Scalar {
                source: Source::Body,
                wire,
                opts,
            } => {
                needs_json_parts = true;
                let span = ty.span();
                let optional = crate::model::is_option(ty);
                let default_value = default_tokens(opts, ty);
                let missing = match &default_value {
                    Some(d) => quote!(::core::option::Option::Some(#d)),
                    None => quote! {{
                        #p::missing_part(#wire, &mut __ferrapi_errors);
                        ::core::option::Option::None
                    }},
                };
                // A missing `Option` without a default reads as `null`, i.e. `None`.
                let read_null = optional && default_value.is_none();
                let constraint = if opts.has_constraints() {
                    let c = constraints_tokens(opts);
                    quote! {
                        if let ::core::option::Option::Some(__ferrapi_v) = &#var {
                            const __FERRAPI_C: #p::Constraints = #c;
                            let __ferrapi_before = __ferrapi_errors.0.len();
                            #p::check_field(__ferrapi_v, &__FERRAPI_C, &#p::Loc::body().join(#wire), &mut __ferrapi_errors);
                            if __ferrapi_errors.0.len() != __ferrapi_before {
                                #var = ::core::option::Option::None;
                            }
                        }
                    }
                } else {
                    quote!()
                };
                extract_scalars.push((
                    Source::Body,
                    quote_spanned! {span=>
                        #[allow(unused_mut)]
                        let mut #var: ::core::option::Option<#ty> = match __ferrapi_json_parts.part::<#ty>(#wire, #read_null, &mut __ferrapi_errors) {
                            #p::Got::Value(__ferrapi_v) => ::core::option::Option::Some(__ferrapi_v),
                            #p::Got::Missing => #missing,
                            #p::Got::Invalid => ::core::option::Option::None,
                        };
                        #constraint
                    },
                ));
                let checks = crate::attr::constraint_checks(opts, ty, "InField");
                let c = constraints_tokens(opts);
                let title = crate::attr::opt_str(&opts.title);
                let description = crate::attr::opt_str(&opts.description);
                let required = !optional && default_value.is_none();
                let default_json = match &default_value {
                    Some(d) => quote!(#p::serde_json::to_value(#d).ok().filter(|v| !v.is_null())),
                    None => quote!(::core::option::Option::None),
                };
                let examples = examples_tokens(opts);
                doc_scalars.push((
                    Source::Body,
                    quote_spanned! {span=>
                        #checks
                        {
                            const __FERRAPI_C: #p::Constraints = #c;
                            #p::doc_body_field::<#ty>(
                                __ferrapi_ctx, __ferrapi_op, #wire, #required, &__FERRAPI_C,
                                #title, #description, #default_json, #examples,
                            );
                        }
                    },
                ));
            }
            ArgKind::Scalar {
                source: Source::File,
                wire,
                opts,
            } => {
                needs_form = true;
                let span = ty.span();
                let max = match opts.max_size {
                    Some(n) => quote!(::core::option::Option::Some(#n)),
                    None => quote!(::core::option::Option::None),
                };
                extract_scalars.push((
                    Source::File,
                    quote_spanned! {span=>
                        let #var: ::core::option::Option<#ty> = match <#ty as #p::FileShape>::from_parts(
                            __ferrapi_form.parts(#wire), &|| #p::Loc::form(#wire), #max, &mut __ferrapi_errors,
                        ) {
                            #p::Got::Value(__ferrapi_v) => ::core::option::Option::Some(__ferrapi_v),
                            #p::Got::Missing => {
                                #p::missing(#p::Loc::form(#wire), &mut __ferrapi_errors);
                                ::core::option::Option::None
                            }
                            #p::Got::Invalid => ::core::option::Option::None,
                        };
                    },
                ));
                let description = opt_str(&opts.description);
                doc_scalars.push((
                    Source::File,
                    quote_spanned! {span=>
                        #p::doc_file_field::<#ty>(__ferrapi_ctx, __ferrapi_op, #wire, #description, #max);
                    },
                ));
            }
            ArgKind::Scalar { source, wire, opts } => {
                // One constant holds every fact about the input; extraction, validation and
                // the description all read it.
                let cname = format_ident!("__FERRAPI_P{}", i);
                let ctoks = constraints_tokens(opts);
                let src = match source {
                    Source::Path => quote!(Path),
                    Source::Query => quote!(Query),
                    Source::Header => quote!(Header),
                    Source::Cookie => quote!(Cookie),
                    Source::Form => quote!(Form),
                    Source::File | Source::Body => {
                        unreachable!("#[file] and #[body] arguments are read above")
                    }
                };
                // Only what is declared, the rest from `NONE`.
                let mut fields = vec![quote!(name: #wire), quote!(source: #p::ParamSource::#src)];
                if opts.has_constraints() {
                    fields.push(quote!(constraints: #ctoks));
                }
                for (field, value) in [
                    ("description", &opts.description),
                    ("title", &opts.title),
                    ("format", &opts.format),
                ] {
                    if let Some(v) = value {
                        let field = format_ident!("{}", field);
                        fields.push(quote!(#field: ::core::option::Option::Some(#v)));
                    }
                }
                if opts.deprecated {
                    fields.push(quote!(deprecated: true));
                }
                consts.push(quote! {
                    #[doc(hidden)]
                    const #cname: #p::ParamSpec = #p::ParamSpec { #(#fields,)* ..#p::ParamSpec::NONE };
                });
                let spec = quote!(<#owner>::#cname);
                let (values, pick_last) = match source {
                    Source::Path => {
                        needs_path = true;
                        (quote!(__ferrapi_path.values(#spec.name)), true)
                    }
                    Source::Query => {
                        needs_query = true;
                        (quote!(__ferrapi_query.values(#spec.name)), true)
                    }
                    Source::Header => (
                        quote!(#p::header_values(&__ferrapi_parts, #spec.name)),
                        false,
                    ),
                    Source::Cookie => {
                        needs_cookies = true;
                        (quote!(__ferrapi_cookies.values(#spec.name)), true)
                    }
                    Source::Form => {
                        needs_form = true;
                        // FastAPI takes an empty form value as absent, except in a list.
                        let values = if crate::model::is_collection(ty) {
                            quote!(__ferrapi_form.values(#spec.name))
                        } else {
                            quote!(__ferrapi_form.scalar_values(#spec.name))
                        };
                        (values, true)
                    }
                    Source::File | Source::Body => {
                        unreachable!("#[file] and #[body] arguments are read above")
                    }
                };
                let default_value = default_tokens(opts, ty);
                let missing = match &default_value {
                    Some(d) => quote!(::core::option::Option::Some(#d)),
                    None => quote! {{
                        #p::missing(#p::Loc::param(&#spec), &mut __ferrapi_errors);
                        ::core::option::Option::None
                    }},
                };
                let span = ty.span();
                extract_scalars.push((
                    *source,
                    quote_spanned! {span=>
                        let #var: ::core::option::Option<#ty> = match <#ty as #p::ParamShape>::from_values(
                            &#values, #pick_last, &|| #p::Loc::param(&#spec), &#spec.constraints, &mut __ferrapi_errors,
                        ) {
                            #p::Got::Value(__ferrapi_v) => ::core::option::Option::Some(__ferrapi_v),
                            #p::Got::Missing => #missing,
                            #p::Got::Invalid => ::core::option::Option::None,
                        };
                    },
                ));
                let has_default = default_value.is_some();
                let default_json = match &default_value {
                    Some(d) => quote!(#p::default_json(<#ty as #p::ParamShape>::to_json(&#d))),
                    None => quote!(::core::option::Option::None),
                };
                let examples = examples_tokens(opts);
                let checks = crate::attr::constraint_checks(opts, ty, "InParam");
                let doc = if *source == Source::Form {
                    quote_spanned! {span=>
                        #checks
                        #p::doc_form_field::<#ty>(
                            __ferrapi_ctx, __ferrapi_op, &#spec, #has_default, #default_json, #examples,
                        );
                    }
                } else {
                    quote_spanned! {span=>
                        #checks
                        #p::doc_param(
                            __ferrapi_ctx, __ferrapi_op, &#spec,
                            <#ty as #p::ParamShape>::REQUIRED && !#has_default, #default_json,
                            <#ty as #p::ParamShape>::schema(&#spec.constraints),
                            #p::param_components(<#ty as #p::ParamShape>::components),
                            #examples,
                        );
                    }
                };
                doc_scalars.push((*source, doc));
            }
        }
    }
    extract_scalars.sort_by_key(|(s, _)| *s);
    doc_scalars.sort_by_key(|(s, _)| *s);
    // Form fields come from the body, read once after every other input.
    let (extract_form, extract_scalars): (Vec<_>, Vec<_>) = extract_scalars
        .into_iter()
        .partition(|(s, _)| *s == Source::Form || *s == Source::File || *s == Source::Body);
    let extract_scalars = extract_scalars.into_iter().map(|(_, t)| t);
    let extract_form = extract_form.into_iter().map(|(_, t)| t);
    // The body is read once, as a form or as a JSON object of parts, for every argument
    // that reads from it.
    let body_reader = if needs_form {
        Some((quote!(__ferrapi_form), quote!(#p::FormFields)))
    } else if needs_json_parts {
        Some((quote!(__ferrapi_json_parts), quote!(#p::BodyFields)))
    } else {
        None
    };
    let extract_form = match body_reader {
        Some((var, reader)) => quote! {
            let #var = match #reader::read(
                #p::axum::extract::Request::from_parts(__ferrapi_parts, __ferrapi_body),
                &__ferrapi_state,
            ).await {
                Ok(__ferrapi_v) => __ferrapi_v,
                Err(__ferrapi_rej) => #early_rej,
            };
            #(#extract_form)*
        },
        None => TokenStream::new(),
    };
    let doc_scalars = doc_scalars.into_iter().map(|(_, t)| t);

    let path_setup = needs_path.then(|| {
        quote! {
            let __ferrapi_path = match #p::PathParams::from_parts(&mut __ferrapi_parts).await {
                Ok(__ferrapi_v) => __ferrapi_v,
                Err(__ferrapi_rej) => #early_rej,
            };
        }
    });
    let query_setup = needs_query
        .then(|| quote!(let __ferrapi_query = #p::QueryPairs::parse(__ferrapi_parts.uri.query());));
    let cookie_setup = needs_cookies
        .then(|| quote!(let __ferrapi_cookies = #p::Cookies::parse(&__ferrapi_parts);));

    Inputs {
        consts,
        extract_parts,
        path_setup,
        query_setup,
        cookie_setup,
        extract_scalars: extract_scalars.collect(),
        release: {
            let q = needs_query.then(|| quote!(::core::mem::drop(__ferrapi_query);));
            let c = needs_cookies.then(|| quote!(::core::mem::drop(__ferrapi_cookies);));
            quote!(#q #c)
        },
        extract_form,
        extract_body,
        doc_extractors,
        doc_scalars: doc_scalars.collect(),
        call_args,
    }
}

/// The expression of an argument's `default` option (`default` alone: the type's
/// `Default`), typed as the argument.
fn default_tokens(opts: &crate::attr::ParamOpts, ty: &syn::Type) -> Option<TokenStream> {
    opts.default.as_ref().map(|d| match d {
        Some(expr) => {
            let conv = crate::attr::default_conversion(expr, ty);
            quote_spanned! {expr.span()=> {
                let __ferrapi_d: #ty = #conv;
                __ferrapi_d
            }}
        }
        None => quote_spanned! {ty.span()=> <#ty as ::core::default::Default>::default()},
    })
}

/// The `examples` option as `Option<serde_json::Value>` (a JSON array).
fn examples_tokens(opts: &crate::attr::ParamOpts) -> TokenStream {
    if opts.examples.is_empty() {
        return quote!(::core::option::Option::None);
    }
    let ex = &opts.examples;
    quote!(::core::option::Option::Some(
        ::ferrapi::__private::serde_json::json!([#(#ex),*])
    ))
}

/// Expands `#[dependency] async fn make(..) -> T` (or `-> Result<T, E>`): `T` becomes an
/// extractor that reads the function's inputs, calls it once per request (the value is
/// cached in the request for every other user), and documents the inputs.
pub(crate) fn expand_dependency(route: Route) -> syn::Result<TokenStream> {
    let func = &route.func;
    let name = &func.sig.ident;
    let p = quote!(::ferrapi::__private);
    let (target, fallible) = dependency_target(&route.ret)?;
    let owner_ident = format_ident!("__ferrapi_dep_{}", name);
    let owner = quote!(#owner_ident);
    let Inputs {
        consts,
        extract_parts,
        path_setup,
        query_setup,
        cookie_setup,
        extract_scalars,
        release,
        extract_form: _,
        extract_body: _,
        doc_extractors,
        doc_scalars,
        call_args,
    } = inputs(
        &route.args,
        &[],
        &owner,
        None,
        &|res| quote!(return ::core::result::Result::Err(#p::Rejection::Response(::std::boxed::Box::new(#res)))),
    );
    let convert = if fallible {
        quote! {
            let __ferrapi_v: #target = match __ferrapi_out {
                ::core::result::Result::Ok(v) => v,
                ::core::result::Result::Err(e) => return ::core::result::Result::Err(
                    #p::Rejection::Response(::std::boxed::Box::new(#p::axum::response::IntoResponse::into_response(e)))
                ),
            };
        }
    } else {
        quote!(let __ferrapi_v: #target = __ferrapi_out;)
    };
    Ok(quote! {
        #[allow(clippy::too_many_arguments)]
        #func

        #[doc(hidden)]
        #[allow(non_camel_case_types)]
        struct #owner_ident {}

        #[doc(hidden)]
        #[allow(non_upper_case_globals)]
        impl #owner_ident {
            #(#consts)*
        }

        impl #p::axum::extract::FromRequestParts<#p::AppState> for #target {
            type Rejection = #p::Rejection;

            #[allow(unused_variables, unused_mut, deprecated, clippy::all)]
            async fn from_request_parts(
                mut __ferrapi_parts: &mut #p::http::request::Parts,
                __ferrapi_state: &#p::AppState,
            ) -> ::core::result::Result<Self, #p::Rejection> {
                #[allow(unused_imports)]
                use #p::{RejectViaFerrapi as _, RejectViaResponse as _};
                if let ::core::option::Option::Some(__ferrapi_cached) = __ferrapi_parts.extensions.get::<#p::DepCache<Self>>() {
                    return ::core::result::Result::Ok(__ferrapi_cached.0.clone());
                }
                if let ::core::option::Option::Some(__ferrapi_o) = __ferrapi_state.dependency_override::<Self>() {
                    return ::core::result::Result::Ok(__ferrapi_o);
                }
                let mut __ferrapi_errors = #p::ValidationErrors::new();
                #(#extract_parts)*
                #path_setup
                #query_setup
                #cookie_setup
                #(#extract_scalars)*
                // The parsed query and cookies borrow the request head, which the cache
                // below writes to.
                #release
                if !__ferrapi_errors.is_empty() {
                    return ::core::result::Result::Err(#p::Rejection::Validation(__ferrapi_errors));
                }
                let __ferrapi_out = #name(#(#call_args),*).await;
                #convert
                __ferrapi_parts.extensions.insert(#p::DepCache(::core::clone::Clone::clone(&__ferrapi_v)));
                ::core::result::Result::Ok(__ferrapi_v)
            }
        }

        impl #p::ApiInput for #target {
            #[allow(unused_imports, unused_variables, clippy::all)]
            fn document(__ferrapi_ctx: &mut #p::DocCtx, __ferrapi_op: &mut #p::Operation) {
                use #p::{DocViaApiInput as _, DocViaNothing as _};
                #(#doc_extractors)*
                #(#doc_scalars)*
            }
        }

        const _: fn() = || {
            fn __ferrapi_dependency_is_clone<T: ::core::clone::Clone + ::core::marker::Send + ::core::marker::Sync + 'static>() {}
            __ferrapi_dependency_is_clone::<#target>();
        };
    })
}

/// The type a dependency provides: `T` from `-> T`, or from `-> Result<T, E>` (then `true`).
fn dependency_target(ret: &syn::Type) -> syn::Result<(syn::Type, bool)> {
    if let syn::Type::Path(tp) = ret {
        if let Some(seg) = tp.path.segments.last() {
            if seg.ident == "Result" {
                if let syn::PathArguments::AngleBracketed(a) = &seg.arguments {
                    if let Some(syn::GenericArgument::Type(t)) = a.args.first() {
                        return Ok((t.clone(), true));
                    }
                }
            }
        }
    }
    if matches!(ret, syn::Type::Tuple(t) if t.elems.is_empty()) {
        return Err(syn::Error::new(
            ret.span(),
            "a dependency returns the value it provides: `async fn pagination(..) -> Pagination`",
        ));
    }
    Ok((ret.clone(), false))
}
