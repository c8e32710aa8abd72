"""Validation inside every container: discriminated unions (tagged), plain unions
(smart mode), models inside Optional, list, dict, set and generic models."""
from typing import Annotated, Generic, Literal, TypeVar, Union

from fastapi import FastAPI
from pydantic import BaseModel, Field

app = FastAPI()


class Cat(BaseModel):
    kind: Literal["cat"]
    lives: int = Field(ge=0, le=9)


class Dog(BaseModel):
    kind: Literal["dog"]
    name: str = Field(min_length=1)


class Parrot(BaseModel):
    kind: Literal["parrot"]
    words: list[str] = Field(max_length=3)


Pet = Annotated[Union[Cat, Dog, Parrot], Field(discriminator="kind")]


class Household(BaseModel):
    pets: list[Pet]


class Circle(BaseModel):
    radius: float = Field(gt=0)


class Square(BaseModel):
    side: float = Field(gt=0)


class Drawing(BaseModel):
    shape: Union[Circle, Square]


class Point(BaseModel):
    x: int = Field(ge=0)
    y: int = Field(ge=0)


class Shapes(BaseModel):
    origin: Point | None = None
    points: list[Point] = []
    named: dict[str, Point] = {}
    tags: set[int] = set()


T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int = Field(ge=0)


@app.post("/pets/")
async def add_pet(pet: Pet):
    return pet


@app.post("/households/")
async def add_household(household: Household):
    return household


@app.post("/drawings/")
async def add_drawing(drawing: Drawing):
    return drawing


@app.post("/shapes/")
async def add_shapes(shapes: Shapes):
    return shapes


@app.post("/pages/")
async def add_page(page: Page[Point]):
    return page
