from _lib import http

CASES = [
    http("ok", "GET", "/unicorns/sparkle"),
    http("custom exception -> 418", "GET", "/unicorns/yolo"),
    http("custom exception subclass -> parent handler", "GET", "/unicorns/sub"),
    http("validation: body fields", "POST", "/items/", json={"name": "x", "price": 0}),
    http("validation: query and body", "POST", "/items/", query="q=abc", json={"name": "ok"}),
    http("validation: missing body", "POST", "/items/"),
    http("validation: malformed JSON", "POST", "/items/", body='{"name": ', headers={"Content-Type": "application/json"}),
    http("validation: path param", "GET", "/items/abc"),
    http("valid item", "POST", "/items/", query="q=2", json={"name": "ok", "price": 1}),
    http("HTTPException string detail", "GET", "/items/3"),
    http("HTTPException dict detail + headers", "GET", "/items/4"),
    http("HTTPException 409 -> status-code handler", "GET", "/items/5"),
    http("starlette HTTPException default detail", "GET", "/items/6"),
    http("unhandled exception -> 500", "GET", "/items/7"),
    http("unknown route -> 404 wrapped", "GET", "/nope"),
    http("method not allowed -> 405 wrapped", "DELETE", "/items/1"),
    http("trailing slash redirect unaffected", "GET", "/items"),
]
