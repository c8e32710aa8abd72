// Expansion of the `body_examples_and_several_methods` snapshot route; see macros/src/tests.rs.
#[allow(clippy::too_many_arguments)]
async fn rate(rating: Json<Rating>) -> NoContent {
    todo!()
}
#[doc(hidden)]
#[allow(non_camel_case_types, missing_docs)]
struct rate {}
#[doc(hidden)]
#[allow(non_upper_case_globals)]
impl rate {}
impl ::ferrapi::__private::Endpoint for rate {
    const INFO: ::ferrapi::__private::RouteInfo = ::ferrapi::__private::RouteInfo {
        methods: &["POST", "PUT"],
        path: "/ratings",
        fn_name: "rate",
        summary: ::core::option::Option::None,
        description: ::core::option::Option::None,
        operation_id: ::core::option::Option::None,
        tags: &[],
        scopes: &[],
        deprecated: false,
        status: ::core::option::Option::None,
        include_in_schema: true,
        websocket: false,
        response_description: ::core::option::Option::None,
    };
    fn method_router() -> ::ferrapi::__private::axum::routing::MethodRouter<
        ::ferrapi::__private::AppState,
    > {
        #[allow(unused_variables, unused_mut, deprecated, clippy::all)]
        async fn __ferrapi_handler(
            __ferrapi_state: ::ferrapi::__private::AppState,
            __ferrapi_req: ::ferrapi::__private::axum::extract::Request,
        ) -> ::ferrapi::__private::axum::response::Response {
            #[allow(unused_imports)]
            use ::ferrapi::__private::{
                RejectViaFerrapi as _, RejectViaResponse as _, RetViaApi as _,
                RetViaResult as _, RetViaModel as _, RetViaIntoResponse as _,
                RetViaNothing as _,
            };
            let (mut __ferrapi_parts, __ferrapi_body) = __ferrapi_req.into_parts();
            let mut __ferrapi_errors = ::ferrapi::__private::ValidationErrors::new();
            let __ferrapi_req = ::ferrapi::__private::axum::extract::Request::from_parts(
                __ferrapi_parts,
                __ferrapi_body,
            );
            let __ferrapi_arg0: ::core::option::Option<Json<Rating>> = match <Json<
                Rating,
            > as ::ferrapi::__private::axum::extract::FromRequest<
                ::ferrapi::__private::AppState,
            >>::from_request(__ferrapi_req, &__ferrapi_state)
                .await
            {
                Ok(__ferrapi_v) => ::core::option::Option::Some(__ferrapi_v),
                Err(__ferrapi_rej) => {
                    match (&&::ferrapi::__private::Reject::new(__ferrapi_rej))
                        .__ferrapi_reject(&mut __ferrapi_errors)
                    {
                        ::core::option::Option::Some(__ferrapi_res) => {
                            return __ferrapi_res;
                        }
                        ::core::option::Option::None => ::core::option::Option::None,
                    }
                }
            };
            if !__ferrapi_errors.is_empty() {
                return ::ferrapi::__private::axum::response::IntoResponse::into_response(
                    __ferrapi_errors,
                );
            }
            let __ferrapi_status = ::ferrapi::__private::http::StatusCode::from_u16(
                    200u16,
                )
                .unwrap_or(::ferrapi::__private::http::StatusCode::OK);
            let __ferrapi_ret = rate(__ferrapi_arg0.unwrap()).await;
            (&&&&&::ferrapi::__private::Ret::new(__ferrapi_ret))
                .__ferrapi_respond(__ferrapi_status)
        }
        ::ferrapi::__private::endpoint_route(
            ::ferrapi::__private::axum::routing::MethodFilter::POST
                .or(::ferrapi::__private::axum::routing::MethodFilter::PUT),
            |__ferrapi_state, __ferrapi_req| ::std::boxed::Box::pin(
                __ferrapi_handler(__ferrapi_state, __ferrapi_req),
            ),
        )
    }
    #[allow(unused_imports, unused_variables, clippy::all)]
    fn document(
        __ferrapi_ctx: &mut ::ferrapi::__private::DocCtx,
        __ferrapi_op: &mut ::ferrapi::__private::Operation,
    ) {
        use ::ferrapi::__private::{
            DocViaApiInput as _, DocViaNothing as _, RetDocViaApi as _,
            RetDocViaResult as _, RetDocViaModel as _, RetDocViaIntoResponse as _,
            RetDocViaNothing as _,
        };
        let __ferrapi_status = ::ferrapi::__private::http::StatusCode::from_u16(200u16)
            .unwrap_or(::ferrapi::__private::http::StatusCode::OK);
        (&&::ferrapi::__private::DocProbe::<Json<Rating>>(::core::marker::PhantomData))
            .__ferrapi_doc(__ferrapi_ctx, __ferrapi_op);
        let mut __ferrapi_named: ::std::vec::Vec<
            (&str, ::ferrapi::__private::Example),
        > = ::std::vec::Vec::new();
        __ferrapi_named
            .push((
                "best",
                ::ferrapi::__private::Example {
                    summary: ::core::option::Option::Some(
                        ::std::string::String::from("Best"),
                    ),
                    description: ::core::option::Option::None,
                    value: ::core::option::Option::Some(
                        ::ferrapi::__private::serde_json::json!({ "stars" : 5 }),
                    ),
                    external_value: ::core::option::Option::None,
                },
            ));
        ::ferrapi::__private::doc_body_examples(
            __ferrapi_op,
            ::core::option::Option::None,
            __ferrapi_named,
        );
        (&&&&&::ferrapi::__private::RetDoc::<NoContent>(::core::marker::PhantomData))
            .__ferrapi_doc_ret(
                __ferrapi_ctx,
                __ferrapi_status,
                &mut __ferrapi_op.responses,
            );
    }
}
