// Expansion of the `websocket` snapshot route; see macros/src/tests.rs.
#[allow(clippy::too_many_arguments)]
async fn chat(socket: JsonSocket<Say, Event>, room: String, name: String) {}
#[doc(hidden)]
#[allow(non_camel_case_types, missing_docs)]
struct chat {}
#[doc(hidden)]
#[allow(non_upper_case_globals)]
impl chat {
    #[doc(hidden)]
    const __FERRAPI_P1: ::ferrapi::__private::ParamSpec = ::ferrapi::__private::ParamSpec {
        name: "room",
        source: ::ferrapi::__private::ParamSource::Path,
        ..::ferrapi::__private::ParamSpec::NONE
    };
    #[doc(hidden)]
    const __FERRAPI_P2: ::ferrapi::__private::ParamSpec = ::ferrapi::__private::ParamSpec {
        name: "name",
        source: ::ferrapi::__private::ParamSource::Query,
        constraints: ::ferrapi::__private::Constraints {
            min_length: ::core::option::Option::Some(1usize),
            ..::ferrapi::__private::Constraints::NONE
        },
        ..::ferrapi::__private::ParamSpec::NONE
    };
}
impl ::ferrapi::__private::Endpoint for chat {
    const INFO: ::ferrapi::__private::RouteInfo = ::ferrapi::__private::RouteInfo {
        methods: &["GET"],
        path: "/ws/{room}",
        fn_name: "chat",
        summary: ::core::option::Option::None,
        description: ::core::option::Option::None,
        operation_id: ::core::option::Option::None,
        tags: &[],
        scopes: &[],
        deprecated: false,
        status: ::core::option::Option::None,
        include_in_schema: true,
        websocket: true,
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
            let __ferrapi_upgrade = match ::ferrapi::__private::websocket_upgrade(
                    &mut __ferrapi_parts,
                    &__ferrapi_state,
                )
                .await
            {
                ::core::result::Result::Ok(u) => u,
                ::core::result::Result::Err(r) => return r,
            };
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
            let __ferrapi_query = ::ferrapi::__private::QueryPairs::parse(
                __ferrapi_parts.uri.query(),
            );
            let __ferrapi_arg1: ::core::option::Option<String> = match <String as ::ferrapi::__private::ParamShape>::from_values(
                &__ferrapi_path.values(<chat>::__FERRAPI_P1.name),
                true,
                &|| ::ferrapi::__private::Loc::param(&<chat>::__FERRAPI_P1),
                &<chat>::__FERRAPI_P1.constraints,
                &mut __ferrapi_errors,
            ) {
                ::ferrapi::__private::Got::Value(__ferrapi_v) => {
                    ::core::option::Option::Some(__ferrapi_v)
                }
                ::ferrapi::__private::Got::Missing => {
                    ::ferrapi::__private::missing(
                        ::ferrapi::__private::Loc::param(&<chat>::__FERRAPI_P1),
                        &mut __ferrapi_errors,
                    );
                    ::core::option::Option::None
                }
                ::ferrapi::__private::Got::Invalid => ::core::option::Option::None,
            };
            let __ferrapi_arg2: ::core::option::Option<String> = match <String as ::ferrapi::__private::ParamShape>::from_values(
                &__ferrapi_query.values(<chat>::__FERRAPI_P2.name),
                true,
                &|| ::ferrapi::__private::Loc::param(&<chat>::__FERRAPI_P2),
                &<chat>::__FERRAPI_P2.constraints,
                &mut __ferrapi_errors,
            ) {
                ::ferrapi::__private::Got::Value(__ferrapi_v) => {
                    ::core::option::Option::Some(__ferrapi_v)
                }
                ::ferrapi::__private::Got::Missing => {
                    ::ferrapi::__private::missing(
                        ::ferrapi::__private::Loc::param(&<chat>::__FERRAPI_P2),
                        &mut __ferrapi_errors,
                    );
                    ::core::option::Option::None
                }
                ::ferrapi::__private::Got::Invalid => ::core::option::Option::None,
            };
            ::core::mem::drop(__ferrapi_query);
            if !__ferrapi_errors.is_empty() {
                return ::ferrapi::__private::websocket_reject(
                    __ferrapi_upgrade,
                    __ferrapi_errors,
                );
            }
            let __ferrapi_in1 = __ferrapi_arg1.unwrap();
            let __ferrapi_in2 = __ferrapi_arg2.unwrap();
            let __ferrapi_limits = ::ferrapi::__private::WebSocketLimits {
                max_message_size: ::ferrapi::__private::WebSocketLimits::default()
                    .max_message_size,
                max_frame_size: ::ferrapi::__private::WebSocketLimits::default()
                    .max_message_size,
            };
            ::ferrapi::__private::websocket_session(
                __ferrapi_upgrade,
                &__ferrapi_state,
                __ferrapi_limits,
                move |__ferrapi_socket| async move {
                    let _ = chat(
                            <JsonSocket<
                                Say,
                                Event,
                            > as ::ferrapi::__private::FromSocket>::from_socket(
                                __ferrapi_socket,
                            ),
                            __ferrapi_in1,
                            __ferrapi_in2,
                        )
                        .await;
                },
            )
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
        <JsonSocket<
            Say,
            Event,
        > as ::ferrapi::__private::FromSocket>::describe(
            __ferrapi_ctx,
            &mut __ferrapi_op.messages,
        );
        ::ferrapi::__private::doc_param(
            __ferrapi_ctx,
            __ferrapi_op,
            &<chat>::__FERRAPI_P1,
            <String as ::ferrapi::__private::ParamShape>::REQUIRED && !false,
            ::core::option::Option::None,
            <String as ::ferrapi::__private::ParamShape>::schema(
                &<chat>::__FERRAPI_P1.constraints,
            ),
            ::ferrapi::__private::param_components(
                <String as ::ferrapi::__private::ParamShape>::components,
            ),
            ::core::option::Option::None,
        );
        let () = <String as ::ferrapi::__private::LengthConstraint<
            ::ferrapi::__private::InParam,
        >>::APPLIES;
        ::ferrapi::__private::doc_param(
            __ferrapi_ctx,
            __ferrapi_op,
            &<chat>::__FERRAPI_P2,
            <String as ::ferrapi::__private::ParamShape>::REQUIRED && !false,
            ::core::option::Option::None,
            <String as ::ferrapi::__private::ParamShape>::schema(
                &<chat>::__FERRAPI_P2.constraints,
            ),
            ::ferrapi::__private::param_components(
                <String as ::ferrapi::__private::ParamShape>::components,
            ),
            ::core::option::Option::None,
        );
        (&&&&&::ferrapi::__private::RetDoc::<()>(::core::marker::PhantomData))
            .__ferrapi_doc_ret(
                __ferrapi_ctx,
                __ferrapi_status,
                &mut __ferrapi_op.responses,
            );
    }
}
