"""response_model_exclude_defaults on nested models and lists: pydantic drops fields equal
to their default at every depth, in every item of a list answer."""
from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()


class Dim(BaseModel):
    unit: str = "cm"
    size: float = 1.0


class Part(BaseModel):
    name: str
    qty: int = 1
    dim: Dim = Dim()
    note: str | None = None


PARTS = [
    {"name": "a"},
    {"name": "b", "qty": 2, "dim": {"unit": "mm", "size": 1.0}},
    {"name": "c", "qty": 1, "dim": {"unit": "cm", "size": 1.0}, "note": "x"},
]


@app.get("/parts/", response_model=list[Part], response_model_exclude_defaults=True)
async def list_parts():
    return PARTS


@app.get("/parts/{name}", response_model=Part, response_model_exclude_defaults=True)
async def read_part(name: str):
    return next(p for p in PARTS if p["name"] == name)
