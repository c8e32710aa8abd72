// Expansion of the `form_and_file` snapshot route; see macros/src/tests.rs.
#[allow(clippy::too_many_arguments)]
async fn upload(caption: String, photo: UploadFile) -> Json<usize> {
    todo!()
}
#[doc(hidden)]
#[allow(non_camel_case_types, missing_docs)]
struct upload {}
#[doc(hidden)]
#[allow(non_upper_case_globals)]
impl upload {
    #[doc(hidden)]
    const __FERRAPI_P0: ::ferrapi::__private::ParamSpec = ::ferrapi::__private::ParamSpec {
        name: "caption",
        source: ::ferrapi::__private::ParamSource::Form,
        constraints: ::ferrapi::__private::Constraints {
            min_length: ::core::option::Option::Some(1usize),
            ..::ferrapi::__private::Constraints::NONE
        },
        ..::ferrapi::__private::ParamSpec::NONE
    };
}
impl ::ferrapi::__private::Endpoint for upload {
    const INFO: ::ferrapi::__private::RouteInfo = ::ferrapi::__private::RouteInfo {
        methods: &["POST"],
        path: "/photos",
        fn_name: "upload",
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
            let __ferrapi_form = match ::ferrapi::__private::FormFields::read(
                    ::ferrapi::__private::axum::extract::Request::from_parts(
                        __ferrapi_parts,
                        __ferrapi_body,
                    ),
                    &__ferrapi_state,
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
            let __ferrapi_arg0: ::core::option::Option<String> = match <String as ::ferrapi::__private::ParamShape>::from_values(
                &__ferrapi_form.scalar_values(<upload>::__FERRAPI_P0.name),
                true,
                &|| ::ferrapi::__private::Loc::param(&<upload>::__FERRAPI_P0),
                &<upload>::__FERRAPI_P0.constraints,
                &mut __ferrapi_errors,
            ) {
                ::ferrapi::__private::Got::Value(__ferrapi_v) => {
                    ::core::option::Option::Some(__ferrapi_v)
                }
                ::ferrapi::__private::Got::Missing => {
                    ::ferrapi::__private::missing(
                        ::ferrapi::__private::Loc::param(&<upload>::__FERRAPI_P0),
                        &mut __ferrapi_errors,
                    );
                    ::core::option::Option::None
                }
                ::ferrapi::__private::Got::Invalid => ::core::option::Option::None,
            };
            let __ferrapi_arg1: ::core::option::Option<UploadFile> = match <UploadFile as ::ferrapi::__private::FileShape>::from_parts(
                __ferrapi_form.parts("photo"),
                &|| ::ferrapi::__private::Loc::form("photo"),
                ::core::option::Option::Some(1024usize),
                &mut __ferrapi_errors,
            ) {
                ::ferrapi::__private::Got::Value(__ferrapi_v) => {
                    ::core::option::Option::Some(__ferrapi_v)
                }
                ::ferrapi::__private::Got::Missing => {
                    ::ferrapi::__private::missing(
                        ::ferrapi::__private::Loc::form("photo"),
                        &mut __ferrapi_errors,
                    );
                    ::core::option::Option::None
                }
                ::ferrapi::__private::Got::Invalid => ::core::option::Option::None,
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
            let __ferrapi_ret = upload(__ferrapi_arg0.unwrap(), __ferrapi_arg1.unwrap())
                .await;
            (&&&&&::ferrapi::__private::Ret::new(__ferrapi_ret))
                .__ferrapi_respond(__ferrapi_status)
        }
        ::ferrapi::__private::endpoint_route(
            ::ferrapi::__private::axum::routing::MethodFilter::POST,
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
        let () = <String as ::ferrapi::__private::LengthConstraint<
            ::ferrapi::__private::InParam,
        >>::APPLIES;
        ::ferrapi::__private::doc_form_field::<
            String,
        >(
            __ferrapi_ctx,
            __ferrapi_op,
            &<upload>::__FERRAPI_P0,
            false,
            ::core::option::Option::None,
            ::core::option::Option::None,
        );
        ::ferrapi::__private::doc_file_field::<
            UploadFile,
        >(
            __ferrapi_ctx,
            __ferrapi_op,
            "photo",
            ::core::option::Option::None,
            ::core::option::Option::Some(1024usize),
        );
        (&&&&&::ferrapi::__private::RetDoc::<Json<usize>>(::core::marker::PhantomData))
            .__ferrapi_doc_ret(
                __ferrapi_ctx,
                __ferrapi_status,
                &mut __ferrapi_op.responses,
            );
    }
}
