from _lib import http

CASES = [
    http("a list answer is trimmed in every item, at every depth", "GET", "/parts/"),
    http("a nested model differing in one field keeps only that field", "GET", "/parts/b"),
    http("a nested model equal to its default is dropped", "GET", "/parts/c"),
]
