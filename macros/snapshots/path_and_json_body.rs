// Expansion of the `path_and_json_body` snapshot route; see macros/src/tests.rs.
#[allow(clippy::too_many_arguments)]
async fn replace_item(
    item_id: u32,
    item: Json<Item>,
) -> Result<Created<Item>, HttpError> {
    todo!()
}
#[doc(hidden)]
#[allow(non_camel_case_types, missing_docs)]
struct replace_item {}
#[doc(hidden)]
#[allow(non_upper_case_globals)]
impl replace_item {
    #[doc(hidden)]
    const __FERRAPI_P0: ::ferrapi::__private::ParamSpec = ::ferrapi::__private::ParamSpec {
        name: "item_id",
        source: ::ferrapi::__private::ParamSource::Path,
        ..::ferrapi::__private::ParamSpec::NONE
    };
}
impl ::ferrapi::__private::Endpoint for replace_item {
    const INFO: ::ferrapi::__private::RouteInfo = ::ferrapi::__private::RouteInfo {
        methods: &["PUT"],
        path: "/items/{item_id}",
        fn_name: "replace_item",
        summary: ::core::option::Option::None,
        description: ::core::option::Option::None,
        operation_id: ::core::option::Option::None,
        tags: &[],
        scopes: &[],
        deprecated: false,
        status: ::core::option::Option::Some(201u16),
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
            let __ferrapi_path = match ::ferrapi::__private::PathParams::from_parts(
                    &mut __ferrapi_parts,
                )
                .await
            {
                Ok(__ferrapi_v) => __ferrapi_v,
                Err(__ferrapi_rej) => {
                    return ::ferrapi::__private::axum::response::IntoResponse::into_response(
                        __ferrapi_rej,
                    );
                }
            };
            let __ferrapi_arg0: ::core::option::Option<u32> = match <u32 as ::ferrapi::__private::ParamShape>::from_values(
                &__ferrapi_path.values(<replace_item>::__FERRAPI_P0.name),
                true,
                &|| ::ferrapi::__private::Loc::param(&<replace_item>::__FERRAPI_P0),
                &<replace_item>::__FERRAPI_P0.constraints,
                &mut __ferrapi_errors,
            ) {
                ::ferrapi::__private::Got::Value(__ferrapi_v) => {
                    ::core::option::Option::Some(__ferrapi_v)
                }
                ::ferrapi::__private::Got::Missing => {
                    ::ferrapi::__private::missing(
                        ::ferrapi::__private::Loc::param(&<replace_item>::__FERRAPI_P0),
                        &mut __ferrapi_errors,
                    );
                    ::core::option::Option::None
                }
                ::ferrapi::__private::Got::Invalid => ::core::option::Option::None,
            };
            let __ferrapi_req = ::ferrapi::__private::axum::extract::Request::from_parts(
                __ferrapi_parts,
                __ferrapi_body,
            );
            let __ferrapi_arg1: ::core::option::Option<Json<Item>> = match <Json<
                Item,
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
                    201u16,
                )
                .unwrap_or(::ferrapi::__private::http::StatusCode::OK);
            let __ferrapi_ret = replace_item(
                    __ferrapi_arg0.unwrap(),
                    __ferrapi_arg1.unwrap(),
                )
                .await;
            (&&&&&::ferrapi::__private::Ret::new(__ferrapi_ret))
                .__ferrapi_respond(__ferrapi_status)
        }
        ::ferrapi::__private::endpoint_route(
            ::ferrapi::__private::axum::routing::MethodFilter::PUT,
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
        let __ferrapi_status = ::ferrapi::__private::http::StatusCode::from_u16(201u16)
            .unwrap_or(::ferrapi::__private::http::StatusCode::OK);
        (&&::ferrapi::__private::DocProbe::<Json<Item>>(::core::marker::PhantomData))
            .__ferrapi_doc(__ferrapi_ctx, __ferrapi_op);
        ::ferrapi::__private::doc_param(
            __ferrapi_ctx,
            __ferrapi_op,
            &<replace_item>::__FERRAPI_P0,
            <u32 as ::ferrapi::__private::ParamShape>::REQUIRED && !false,
            ::core::option::Option::None,
            <u32 as ::ferrapi::__private::ParamShape>::schema(
                &<replace_item>::__FERRAPI_P0.constraints,
            ),
            ::ferrapi::__private::param_components(
                <u32 as ::ferrapi::__private::ParamShape>::components,
            ),
            ::core::option::Option::None,
        );
        (&&&&&::ferrapi::__private::RetDoc::<
            Result<Created<Item>, HttpError>,
        >(::core::marker::PhantomData))
            .__ferrapi_doc_ret(
                __ferrapi_ctx,
                __ferrapi_status,
                &mut __ferrapi_op.responses,
            );
        let __ferrapi_schema = <HttpError as ::ferrapi::__private::ResponseModel>::response_schema(
            __ferrapi_ctx,
        );
        ::ferrapi::__private::doc_response(
            __ferrapi_op,
            "404",
            "Not Found",
            __ferrapi_schema,
        );
    }
}
