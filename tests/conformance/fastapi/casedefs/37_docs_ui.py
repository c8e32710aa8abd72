from _lib import http

CASES = [
    http("swagger ui page with parameters and initOAuth", "GET", "/docs"),
    http("the redirect page at the configured address", "GET", "/oauth/callback", expect_contains=["swaggerUIRedirectOauth2"]),
    http("no redirect page at the default address", "GET", "/docs/oauth2-redirect"),
    http("token required", "GET", "/pets/"),
    http("token accepted", "GET", "/pets/", headers={"Authorization": "Bearer abc"}),
]
