"""Several body parameters in one handler (Body_{operationId} object), a scalar body
param with constraints next to a model, Body(embed=True) for a single model, and a
single scalar Body() param."""
from typing import Annotated

from fastapi import Body, FastAPI
from pydantic import BaseModel, Field

app = FastAPI()


class Item(BaseModel):
    name: str
    price: float = Field(gt=0)
    tags: list[str] = []


class User(BaseModel):
    username: str
    full_name: str | None = None


@app.put("/items/{item_id}")
async def update_item(item_id: int, item: Item, user: User):
    return {"item_id": item_id, "item": item, "user": user}


@app.put("/ranked/{item_id}")
async def update_ranked(
    item_id: int,
    item: Item,
    importance: Annotated[int, Body(gt=0)],
    note: Annotated[str | None, Body(max_length=10)] = None,
):
    return {"item_id": item_id, "item": item, "importance": importance, "note": note}


@app.post("/embedded/")
async def create_embedded(item: Annotated[Item, Body(embed=True)]):
    return {"item": item}


@app.post("/plain/")
async def create_plain(item: Item):
    return item
