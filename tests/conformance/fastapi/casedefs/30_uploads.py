from _lib import http

CASES = [
    http("file ok", "POST", "/upload/", files=[("file", "a.txt", "text/plain", "hello")]),
    http("file missing", "POST", "/upload/", fields=[("other", "x")]),
    http("text where file expected", "POST", "/upload/", fields=[("file", "just text")]),
    http("optional file absent", "POST", "/maybe/", fields=[("other", "x")]),
    http("optional file present", "POST", "/maybe/", files=[("file", "b.txt", "text/plain", "hi")]),
    http("optional file as text", "POST", "/maybe/", fields=[("file", "text")]),
    http("bytes file", "POST", "/raw/", files=[("data", "c.bin", "application/octet-stream", "abcd")]),
    http("bytes as text field", "POST", "/raw/", fields=[("data", "abc")]),
    http("bytes missing", "POST", "/raw/", fields=[("x", "y")]),
    http("many files", "POST", "/many/", files=[("files", "1.txt", "text/plain", "1"), ("files", "2.txt", "text/plain", "2")], fields=[("note", "n")]),
    http("many with a text", "POST", "/many/", files=[("files", "1.txt", "text/plain", "1")], fields=[("files", "t")]),
]
