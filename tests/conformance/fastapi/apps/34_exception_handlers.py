"""Custom exception handlers: a custom exception class -> 418 JSON; RequestValidationError
reshaped ({"errors", "count"}, status 400); Starlette's HTTPException (which also catches
FastAPI's HTTPException, the router's 404 and 405) wrapped as {"error": {...}}; a
status-code handler (409) taking precedence over the class handler. The OpenAPI document
still advertises the standard 422 HTTPValidationError."""
from fastapi import FastAPI, HTTPException, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

app = FastAPI()


class MyError(Exception):
    def __init__(self, name: str):
        self.name = name


class MySubError(MyError):
    pass


@app.exception_handler(MyError)
async def my_error_handler(request: Request, exc: MyError):
    return JSONResponse(
        status_code=418,
        content={"message": f"Oops! {exc.name} did something.", "kind": type(exc).__name__},
        headers={"X-Error": "teapot"},
    )


@app.exception_handler(RequestValidationError)
async def validation_handler(request: Request, exc: RequestValidationError):
    errors = jsonable_encoder(exc.errors())
    return JSONResponse(
        status_code=400,
        content={"errors": errors, "count": len(errors), "body": jsonable_encoder(exc.body)},
    )


@app.exception_handler(StarletteHTTPException)
async def http_handler(request: Request, exc: StarletteHTTPException):
    return JSONResponse(
        status_code=exc.status_code,
        content={"error": {"code": exc.status_code, "message": exc.detail}},
        headers=getattr(exc, "headers", None),
    )


@app.exception_handler(409)
async def conflict_handler(request: Request, exc: HTTPException):
    return PlainTextResponse(f"conflict: {exc.detail}", status_code=409)


class Item(BaseModel):
    name: str = Field(min_length=2)
    price: float = Field(gt=0)


@app.get("/unicorns/{name}")
async def read_unicorn(name: str):
    if name == "yolo":
        raise MyError(name)
    if name == "sub":
        raise MySubError(name)
    return {"unicorn": name}


@app.post("/items/")
async def create_item(item: Item, q: int | None = None):
    return {"item": item, "q": q}


@app.get("/items/{item_id}")
async def read_item(item_id: int):
    if item_id == 3:
        raise HTTPException(status_code=418, detail="Nope! I don't like 3.")
    if item_id == 4:
        raise HTTPException(status_code=404, detail={"reason": "gone", "id": 4}, headers={"X-Why": "deleted"})
    if item_id == 5:
        raise HTTPException(status_code=409, detail="already exists")
    if item_id == 6:
        raise StarletteHTTPException(status_code=400)
    if item_id == 7:
        raise ValueError("boom")
    return {"item_id": item_id}
