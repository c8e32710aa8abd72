//! What an app configures of its Swagger UI page, as FastAPI's `swagger_ui_parameters`,
//! `swagger_ui_init_oauth` and `swagger_ui_oauth2_redirect_url` do, and the initializer
//! script that applies it.

use serde_json::{Map, Value};

/// Swagger UI's configuration beyond the document: set with
/// [`App::swagger_ui_parameters`](crate::App::swagger_ui_parameters),
/// [`App::swagger_ui_init_oauth`](crate::App::swagger_ui_init_oauth) and
/// [`App::swagger_ui_oauth2_redirect_url`](crate::App::swagger_ui_oauth2_redirect_url).
#[derive(Clone, Debug, Default)]
pub struct SwaggerOptions {
    /// Swagger UI configuration keys (`syntaxHighlight`, `docExpansion`, ...), each given
    /// one replacing ferrapi's default for it.
    pub parameters: Map<String, Value>,
    /// The argument of `ui.initOAuth(...)` (`clientId`, `usePkceWithAuthorizationCodeGrant`,
    /// ...), called once the page is built; `None` calls nothing.
    pub init_oauth: Option<Value>,
    /// Where the OAuth2 redirect page is served.
    pub oauth2_redirect: RedirectPage,
}

/// Where Swagger UI's OAuth2 redirect page is served.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum RedirectPage {
    /// `<docs_url>/oauth2-redirect`, FastAPI's address (also `.../oauth2-redirect.html`).
    #[default]
    NextToDocs,
    /// At this absolute path (e.g. the address registered with an OAuth2 provider).
    At(String),
    /// Nowhere; Swagger UI is given no redirect address.
    Off,
}

#[cfg_attr(not(feature = "swagger-ui"), allow(dead_code))]
/// A JSON value written into a script: `<` escaped, so no `</script>` can close a page
/// that inlines it.
pub(crate) fn script_json(value: &Value) -> String {
    serde_json::to_string(value)
        .expect("a JSON value serializes")
        .replace('<', "\\u003c")
}

/// The initializer: the document relative to the page, the authorization kept across
/// reloads, "Try it out" on, FastAPI's defaults (`deepLinking`, `showExtensions`,
/// `showCommonExtensions`), no validator badge (it would load an image from another host),
/// the OAuth2 redirect page's address (`redirect`, relative to the page), then the app's
/// parameters over all of these, and its `initOAuth` call.
///
/// `documents` is the one document's `url: "..."`, or `url: picker.value` for the version
/// picker the page draws (a `<select>` in its `.topbar`), which it wires to Swagger UI: the
/// choice loads that document and is kept in the address as `?urls.primaryName=`, as
/// Swagger UI's standalone top bar does.
#[cfg_attr(not(feature = "swagger-ui"), allow(dead_code))]
pub(crate) fn initializer(
    documents: &str,
    redirect: Option<&str>,
    options: &SwaggerOptions,
) -> String {
    let redirect = match redirect {
        Some(r) => format!(
            ",\n    oauth2RedirectUrl: new URL({}, window.location.href).href",
            script_json(&Value::from(r))
        ),
        None => String::new(),
    };
    let parameters = script_json(&Value::Object(options.parameters.clone()));
    let init_oauth = match &options.init_oauth {
        Some(v) => format!("  window.ui.initOAuth({});\n", script_json(v)),
        None => String::new(),
    };
    format!(
        r##"window.onload = function() {{
  var picker = document.querySelector(".topbar select");
  if (picker) {{
    var wanted = new URLSearchParams(window.location.search).get("urls.primaryName");
    for (var i = 0; i < picker.options.length; i++) {{
      if (picker.options[i].text === wanted) picker.selectedIndex = i;
    }}
    picker.onchange = function() {{
      var params = new URLSearchParams(window.location.search);
      params.set("urls.primaryName", picker.options[picker.selectedIndex].text);
      window.history.replaceState(null, "", "?" + params + window.location.hash);
      window.ui.specActions.updateUrl(picker.value);
      window.ui.specActions.download(picker.value);
    }};
  }}
  window.ui = SwaggerUIBundle(Object.assign({{
    {documents},
    dom_id: "#swagger-ui",
    deepLinking: true,
    showExtensions: true,
    showCommonExtensions: true,
    presets: [SwaggerUIBundle.presets.apis],
    plugins: [SwaggerUIBundle.plugins.DownloadUrl],
    layout: "BaseLayout",
    persistAuthorization: true,
    tryItOutEnabled: true,
    validatorUrl: "none"{redirect}
  }}, {parameters}));
{init_oauth}}};
"##
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_override_the_defaults_and_init_oauth_is_called() {
        let options = SwaggerOptions {
            parameters: serde_json::json!({"deepLinking": false, "filter": "</script>"})
                .as_object()
                .unwrap()
                .clone(),
            init_oauth: Some(serde_json::json!({"clientId": "docs", "appName": "a<b"})),
            oauth2_redirect: RedirectPage::NextToDocs,
        };
        let js = initializer(
            r#"url: "../openapi.json""#,
            Some("oauth2-redirect"),
            &options,
        );
        assert!(
            js.contains(r#"}, {"deepLinking":false,"filter":"\u003c/script>"}));"#),
            "{js}"
        );
        assert!(js.contains(r#"window.ui.initOAuth({"clientId":"docs","appName":"a\u003cb"});"#));
        assert!(js.contains(
            r#"oauth2RedirectUrl: new URL("oauth2-redirect", window.location.href).href"#
        ));
        assert!(!js.contains("</"));
        let plain = initializer("url: \"x\"", None, &SwaggerOptions::default());
        assert!(plain.contains("}, {}));"));
        assert!(!plain.contains("oauth2RedirectUrl"));
        assert!(!plain.contains("initOAuth"));
    }
}
