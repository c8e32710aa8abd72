// Expansion of the `header_cookie_and_security` snapshot route; see macros/src/tests.rs.
#[allow(clippy::too_many_arguments)]
async fn me(
    user: Auth<User>,
    x_request_id: Option<String>,
    session: Option<String>,
) -> Json<User> {
    todo!()
}
#[doc(hidden)]
#[allow(non_camel_case_types, missing_docs)]
struct me {}
#[doc(hidden)]
#[allow(non_upper_case_globals)]
impl me {
    #[doc(hidden)]
    const __FERRAPI_P1: ::ferrapi::__private::ParamSpec = ::ferrapi::__private::ParamSpec {
        name: "x-request-id",
        source: ::ferrapi::__private::ParamSource::Header,
        ..::ferrapi::__private::ParamSpec::NONE
    };
    #[doc(hidden)]
    const __FERRAPI_P2: ::ferrapi::__private::ParamSpec = ::ferrapi::__private::ParamSpec {
        name: "session",
        source: ::ferrapi::__private::ParamSource::Cookie,
        ..::ferrapi::__private::ParamSpec::NONE
    };
}
impl ::ferrapi::__private::Endpoint for me {
    const INFO: ::ferrapi::__private::RouteInfo = ::ferrapi::__private::RouteInfo {
        methods: &["GET"],
        path: "/users/me",
        fn_name: "me",
        summary: ::core::option::Option::None,
        description: ::core::option::Option::None,
        operation_id: ::core::option::Option::None,
        tags: &[],
        scopes: &["me"],
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
            let __ferrapi_arg0: ::core::option::Option<Auth<User>> = match <Auth<
                User,
            > as ::ferrapi::__private::axum::extract::FromRequestParts<
                ::ferrapi::__private::AppState,
            >>::from_request_parts(&mut __ferrapi_parts, &__ferrapi_state)
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
            let __ferrapi_cookies = ::ferrapi::__private::Cookies::parse(
                &__ferrapi_parts,
            );
            let __ferrapi_arg1: ::core::option::Option<Option<String>> = match <Option<
                String,
            > as ::ferrapi::__private::ParamShape>::from_values(
                &::ferrapi::__private::header_values(
                    &__ferrapi_parts,
                    <me>::__FERRAPI_P1.name,
                ),
                false,
                &|| ::ferrapi::__private::Loc::param(&<me>::__FERRAPI_P1),
                &<me>::__FERRAPI_P1.constraints,
                &mut __ferrapi_errors,
            ) {
                ::ferrapi::__private::Got::Value(__ferrapi_v) => {
                    ::core::option::Option::Some(__ferrapi_v)
                }
                ::ferrapi::__private::Got::Missing => {
                    ::ferrapi::__private::missing(
                        ::ferrapi::__private::Loc::param(&<me>::__FERRAPI_P1),
                        &mut __ferrapi_errors,
                    );
                    ::core::option::Option::None
                }
                ::ferrapi::__private::Got::Invalid => ::core::option::Option::None,
            };
            let __ferrapi_arg2: ::core::option::Option<Option<String>> = match <Option<
                String,
            > as ::ferrapi::__private::ParamShape>::from_values(
                &__ferrapi_cookies.values(<me>::__FERRAPI_P2.name),
                true,
                &|| ::ferrapi::__private::Loc::param(&<me>::__FERRAPI_P2),
                &<me>::__FERRAPI_P2.constraints,
                &mut __ferrapi_errors,
            ) {
                ::ferrapi::__private::Got::Value(__ferrapi_v) => {
                    ::core::option::Option::Some(__ferrapi_v)
                }
                ::ferrapi::__private::Got::Missing => {
                    ::ferrapi::__private::missing(
                        ::ferrapi::__private::Loc::param(&<me>::__FERRAPI_P2),
                        &mut __ferrapi_errors,
                    );
                    ::core::option::Option::None
                }
                ::ferrapi::__private::Got::Invalid => ::core::option::Option::None,
            };
            ::core::mem::drop(__ferrapi_cookies);
            if !__ferrapi_errors.is_empty() {
                return ::ferrapi::__private::axum::response::IntoResponse::into_response(
                    __ferrapi_errors,
                );
            }
            let __ferrapi_status = ::ferrapi::__private::http::StatusCode::from_u16(
                    200u16,
                )
                .unwrap_or(::ferrapi::__private::http::StatusCode::OK);
            let __ferrapi_ret = me(
                    __ferrapi_arg0.unwrap(),
                    __ferrapi_arg1.unwrap(),
                    __ferrapi_arg2.unwrap(),
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
        for __ferrapi_s in ["me"] {
            if !__ferrapi_op.scopes.iter().any(|h| h == __ferrapi_s) {
                __ferrapi_op.scopes.push(__ferrapi_s.to_string());
            }
        }
        (&&::ferrapi::__private::DocProbe::<Auth<User>>(::core::marker::PhantomData))
            .__ferrapi_doc(__ferrapi_ctx, __ferrapi_op);
        ::ferrapi::__private::doc_param(
            __ferrapi_ctx,
            __ferrapi_op,
            &<me>::__FERRAPI_P1,
            <Option<String> as ::ferrapi::__private::ParamShape>::REQUIRED && !false,
            ::core::option::Option::None,
            <Option<
                String,
            > as ::ferrapi::__private::ParamShape>::schema(
                &<me>::__FERRAPI_P1.constraints,
            ),
            ::ferrapi::__private::param_components(
                <Option<String> as ::ferrapi::__private::ParamShape>::components,
            ),
            ::core::option::Option::None,
        );
        ::ferrapi::__private::doc_param(
            __ferrapi_ctx,
            __ferrapi_op,
            &<me>::__FERRAPI_P2,
            <Option<String> as ::ferrapi::__private::ParamShape>::REQUIRED && !false,
            ::core::option::Option::None,
            <Option<
                String,
            > as ::ferrapi::__private::ParamShape>::schema(
                &<me>::__FERRAPI_P2.constraints,
            ),
            ::ferrapi::__private::param_components(
                <Option<String> as ::ferrapi::__private::ParamShape>::components,
            ),
            ::core::option::Option::None,
        );
        (&&&&&::ferrapi::__private::RetDoc::<Json<User>>(::core::marker::PhantomData))
            .__ferrapi_doc_ret(
                __ferrapi_ctx,
                __ferrapi_status,
                &mut __ferrapi_op.responses,
            );
    }
}
