from _lib import http

GOOD = {"X-Token": "fake-super-secret-token", "X-Key": "fake-super-secret-key"}

CASES = [
    http("both headers good", "GET", "/items/", headers=GOOD),
    http("both headers missing", "GET", "/items/"),
    http("token missing", "GET", "/items/", headers={"X-Key": "fake-super-secret-key"}),
    http("token wrong", "GET", "/items/", headers={"X-Token": "nope", "X-Key": "fake-super-secret-key"}),
    http("key wrong", "GET", "/items/", headers={"X-Token": "fake-super-secret-token", "X-Key": "nope"}),
    http("both wrong", "GET", "/items/", headers={"X-Token": "a", "X-Key": "b"}),
    http("cookie dependency anonymous", "GET", "/me"),
    http("cookie dependency set", "GET", "/me", headers={"Cookie": "session_id=abc"}),
]
