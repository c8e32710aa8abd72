"""Dependencies whose value the handler does not take (`dependencies=[Depends(...)]`), and
a dependency reading a cookie."""
from typing import Annotated

from fastapi import Cookie, Depends, FastAPI, Header, HTTPException

app = FastAPI()


async def verify_token(x_token: Annotated[str, Header()]):
    if x_token != "fake-super-secret-token":
        raise HTTPException(status_code=400, detail="X-Token header invalid")


async def verify_key(x_key: Annotated[str, Header()]):
    if x_key != "fake-super-secret-key":
        raise HTTPException(status_code=400, detail="X-Key header invalid")
    return x_key


async def session(session_id: Annotated[str | None, Cookie()] = None):
    return session_id or "anonymous"


@app.get("/items/", dependencies=[Depends(verify_token), Depends(verify_key)])
async def read_items():
    return [{"item": "Foo"}, {"item": "Bar"}]


@app.get("/me")
async def me(user: Annotated[str, Depends(session)]):
    return {"user": user}
