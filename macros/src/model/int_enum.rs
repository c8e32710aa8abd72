//! `#[model]` on a fieldless enum with discriminants: pydantic's `IntEnum`.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[model]` on a fieldless enum with discriminants: an integer enum (pydantic's
/// `IntEnum`), written as its number, read leniently, documented as an integer `enum`.
pub(super) fn expand_int_enum(e: &syn::ItemEnum) -> TokenStream {
    let p = quote!(::ferrapi::__private);
    let ident = &e.ident;
    let title = ident.to_string();
    let variants: Vec<&syn::Ident> = e.variants.iter().map(|v| &v.ident).collect();
    let (impl_g, ty_g, where_c) = e.generics.split_for_impl();
    quote! {
        #e

        impl #impl_g #ident #ty_g #where_c {
            #[doc(hidden)]
            const __FERRAPI_VALUES: &'static [i64] = &[#(#ident::#variants as i64),*];
        }

        impl #impl_g #p::serde::Serialize for #ident #ty_g #where_c {
            fn serialize<__S: #p::serde::Serializer>(&self, s: __S) -> ::core::result::Result<__S::Ok, __S::Error> {
                let v: i64 = match self { #(#ident::#variants => #ident::#variants as i64,)* };
                s.serialize_i64(v)
            }
        }

        impl<'de> #p::serde::Deserialize<'de> for #ident #ty_g #where_c {
            fn deserialize<__D: #p::serde::Deserializer<'de>>(d: __D) -> ::core::result::Result<Self, __D::Error> {
                let raw = <#p::serde_json::Value as #p::serde::Deserialize>::deserialize(d)?;
                let n = #p::int_enum_input(&raw);
                #(if n == ::core::option::Option::Some(#ident::#variants as i64) {
                    return ::core::result::Result::Ok(#ident::#variants);
                })*
                ::core::result::Result::Err(<__D::Error as #p::serde::de::Error>::custom(
                    #p::int_enum_problem(Self::__FERRAPI_VALUES).msg,
                ))
            }
        }

        impl #impl_g ::ferrapi::ToSchema for #ident #ty_g #where_c {
            fn name() -> ::core::option::Option<::std::borrow::Cow<'static, str>> {
                ::core::option::Option::Some(::std::borrow::Cow::Borrowed(#title))
            }
            fn schema() -> #p::serde_json::Value {
                #p::int_enum_schema(#title, Self::__FERRAPI_VALUES)
            }
        }

        impl #impl_g #p::Validate for #ident #ty_g #where_c {
            fn validate_value(__ferrapi_value: &#p::serde_json::Value, __ferrapi_loc: &#p::Loc, __ferrapi_errors: &mut #p::ValidationErrors) {
                #p::check_int_enum(__ferrapi_value, Self::__FERRAPI_VALUES, __ferrapi_loc, __ferrapi_errors);
            }
        }
    }
}
