from _lib import http

ITEM = {"name": "Foo", "price": 35.4}
USER = {"username": "dave", "full_name": "Dave Grohl"}

CASES = [
    # two models -> Body_update_item_items__item_id__put {item, user}
    http("two models ok", "PUT", "/items/5", json={"item": ITEM, "user": USER}),
    http("two models: user missing", "PUT", "/items/5", json={"item": ITEM}),
    http("two models: both missing", "PUT", "/items/5", json={}),
    http("two models: wrong type inside one part", "PUT", "/items/5", json={"item": {"name": "Foo", "price": "cheap"}, "user": USER}),
    http("two models: part not an object", "PUT", "/items/5", json={"item": ITEM, "user": "dave"}),
    http("two models: part null", "PUT", "/items/5", json={"item": None, "user": USER}),
    http("two models: flat body (not embedded)", "PUT", "/items/5", json={"name": "Foo", "price": 35.4, "username": "dave"}),
    http("two models: no body", "PUT", "/items/5"),
    http("two models: empty body with content-type", "PUT", "/items/5", body="", headers={"Content-Type": "application/json"}),
    http("two models: body is a list", "PUT", "/items/5", json=[ITEM, USER]),
    http("two models: body is a string", "PUT", "/items/5", json="hello"),
    http("two models: malformed JSON", "PUT", "/items/5", body='{"item": ', headers={"Content-Type": "application/json"}),
    http("two models: bad path and bad body", "PUT", "/items/x", json={"item": {"price": 0}}),
    # model + scalar Body(gt=0) + optional scalar
    http("ranked ok", "PUT", "/ranked/1", json={"item": ITEM, "importance": 5}),
    http("ranked importance 0", "PUT", "/ranked/1", json={"item": ITEM, "importance": 0}),
    http("ranked importance string number", "PUT", "/ranked/1", json={"item": ITEM, "importance": "3"}),
    http("ranked importance not int", "PUT", "/ranked/1", json={"item": ITEM, "importance": "high"}),
    http("ranked importance missing", "PUT", "/ranked/1", json={"item": ITEM}),
    http("ranked note too long", "PUT", "/ranked/1", json={"item": ITEM, "importance": 1, "note": "x" * 11}),
    # Body(embed=True) single model
    http("embedded ok", "POST", "/embedded/", json={"item": ITEM}),
    http("embedded given flat", "POST", "/embedded/", json=ITEM),
    http("embedded no body", "POST", "/embedded/"),
    # plain single model for contrast
    http("plain given embedded", "POST", "/plain/", json={"item": ITEM}),
    http("plain no body", "POST", "/plain/"),
    http("plain body is a list", "POST", "/plain/", json=[1]),
]
