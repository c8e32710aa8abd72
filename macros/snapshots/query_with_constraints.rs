// Expansion of the `query_with_constraints` snapshot route; see macros/src/tests.rs.
#[allow(clippy::too_many_arguments)]
/// Read items
async fn read_items(skip: i64, limit: i64) -> Json<Vec<Item>> {
    todo!()
}
#[doc(hidden)]
#[allow(non_camel_case_types, missing_docs)]
struct read_items {}
#[doc(hidden)]
#[allow(non_upper_case_globals)]
impl read_items {
    #[doc(hidden)]
    const __FERRAPI_P0: ::ferrapi::__private::ParamSpec = ::ferrapi::__private::ParamSpec {
        name: "skip",
        source: ::ferrapi::__private::ParamSource::Query,
        constraints: ::ferrapi::__private::Constraints {
            ge: ::core::option::Option::Some(::ferrapi::__private::Num::Int(0i128)),
            ..::ferrapi::__private::Constraints::NONE
        },
        ..::ferrapi::__private::ParamSpec::NONE
    };
    #[doc(hidden)]
    const __FERRAPI_P1: ::ferrapi::__private::ParamSpec = ::ferrapi::__private::ParamSpec {
        name: "limit",
        source: ::ferrapi::__private::ParamSource::Query,
        constraints: ::ferrapi::__private::Constraints {
            le: ::core::option::Option::Some(::ferrapi::__private::Num::Int(100i128)),
            ..::ferrapi::__private::Constraints::NONE
        },
        description: ::core::option::Option::Some("Page size"),
        ..::ferrapi::__private::ParamSpec::NONE
    };
}
impl ::ferrapi::__private::Endpoint for read_items {
    const INFO: ::ferrapi::__private::RouteInfo = ::ferrapi::__private::RouteInfo {
        methods: &["GET"],
        path: "/items/",
        fn_name: "read_items",
        summary: ::core::option::Option::Some("Read items"),
        description: ::core::option::Option::None,
        operation_id: ::core::option::Option::None,
        tags: &["items"],
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
            let __ferrapi_query = ::ferrapi::__private::QueryPairs::parse(
                __ferrapi_parts.uri.query(),
            );
            let __ferrapi_arg0: ::core::option::Option<i64> = match <i64 as ::ferrapi::__private::ParamShape>::from_values(
                &__ferrapi_query.values(<read_items>::__FERRAPI_P0.name),
                true,
                &|| ::ferrapi::__private::Loc::param(&<read_items>::__FERRAPI_P0),
                &<read_items>::__FERRAPI_P0.constraints,
                &mut __ferrapi_errors,
            ) {
                ::ferrapi::__private::Got::Value(__ferrapi_v) => {
                    ::core::option::Option::Some(__ferrapi_v)
                }
                ::ferrapi::__private::Got::Missing => {
                    ::core::option::Option::Some({
                        let __ferrapi_d: i64 = 0;
                        __ferrapi_d
                    })
                }
                ::ferrapi::__private::Got::Invalid => ::core::option::Option::None,
            };
            let __ferrapi_arg1: ::core::option::Option<i64> = match <i64 as ::ferrapi::__private::ParamShape>::from_values(
                &__ferrapi_query.values(<read_items>::__FERRAPI_P1.name),
                true,
                &|| ::ferrapi::__private::Loc::param(&<read_items>::__FERRAPI_P1),
                &<read_items>::__FERRAPI_P1.constraints,
                &mut __ferrapi_errors,
            ) {
                ::ferrapi::__private::Got::Value(__ferrapi_v) => {
                    ::core::option::Option::Some(__ferrapi_v)
                }
                ::ferrapi::__private::Got::Missing => {
                    ::core::option::Option::Some({
                        let __ferrapi_d: i64 = 10;
                        __ferrapi_d
                    })
                }
                ::ferrapi::__private::Got::Invalid => ::core::option::Option::None,
            };
            ::core::mem::drop(__ferrapi_query);
            if !__ferrapi_errors.is_empty() {
                return ::ferrapi::__private::axum::response::IntoResponse::into_response(
                    __ferrapi_errors,
                );
            }
            let __ferrapi_status = ::ferrapi::__private::http::StatusCode::from_u16(
                    200u16,
                )
                .unwrap_or(::ferrapi::__private::http::StatusCode::OK);
            let __ferrapi_ret = read_items(
                    __ferrapi_arg0.unwrap(),
                    __ferrapi_arg1.unwrap(),
                )
                .await;
            (&&&&&::ferrapi::__private::Ret::new(__ferrapi_ret))
                .__ferrapi_respond(__ferrapi_status)
        }
        ::ferrapi::__private::endpoint_route(
            ::ferrapi::__private::axum::routing::MethodFilter::GET,
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
        let () = <i64 as ::ferrapi::__private::NumberConstraint<
            ::ferrapi::__private::InParam,
        >>::APPLIES;
        ::ferrapi::__private::doc_param(
            __ferrapi_ctx,
            __ferrapi_op,
            &<read_items>::__FERRAPI_P0,
            <i64 as ::ferrapi::__private::ParamShape>::REQUIRED && !true,
            ::ferrapi::__private::default_json(
                <i64 as ::ferrapi::__private::ParamShape>::to_json(
                    &{
                        let __ferrapi_d: i64 = 0;
                        __ferrapi_d
                    },
                ),
            ),
            <i64 as ::ferrapi::__private::ParamShape>::schema(
                &<read_items>::__FERRAPI_P0.constraints,
            ),
            ::ferrapi::__private::param_components(
                <i64 as ::ferrapi::__private::ParamShape>::components,
            ),
            ::core::option::Option::None,
        );
        let () = <i64 as ::ferrapi::__private::NumberConstraint<
            ::ferrapi::__private::InParam,
        >>::APPLIES;
        ::ferrapi::__private::doc_param(
            __ferrapi_ctx,
            __ferrapi_op,
            &<read_items>::__FERRAPI_P1,
            <i64 as ::ferrapi::__private::ParamShape>::REQUIRED && !true,
            ::ferrapi::__private::default_json(
                <i64 as ::ferrapi::__private::ParamShape>::to_json(
                    &{
                        let __ferrapi_d: i64 = 10;
                        __ferrapi_d
                    },
                ),
            ),
            <i64 as ::ferrapi::__private::ParamShape>::schema(
                &<read_items>::__FERRAPI_P1.constraints,
            ),
            ::ferrapi::__private::param_components(
                <i64 as ::ferrapi::__private::ParamShape>::components,
            ),
            ::core::option::Option::None,
        );
        (&&&&&::ferrapi::__private::RetDoc::<
            Json<Vec<Item>>,
        >(::core::marker::PhantomData))
            .__ferrapi_doc_ret(
                __ferrapi_ctx,
                __ferrapi_status,
                &mut __ferrapi_op.responses,
            );
    }
}
