"""Pydantic types in a JSON body and as query params: Decimal (max_digits/decimal_places),
timedelta, datetime, date, time; how each is serialised in the answer; a model used both
as request body and as response_model whose input and output schemas differ
(-Input / -Output components)."""
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Annotated

from fastapi import FastAPI, Query
from pydantic import BaseModel, Field, computed_field

app = FastAPI()


class Price(BaseModel):
    amount: Decimal = Field(max_digits=6, decimal_places=2)


class Durations(BaseModel):
    wait: timedelta


class Moments(BaseModel):
    at: datetime
    day: date | None = None
    clock: time | None = None


class Invoice(BaseModel):
    number: int
    total: Decimal
    tax: Decimal = Decimal("0.00")

    @computed_field
    @property
    def label(self) -> str:
        return f"INV-{self.number}"


@app.post("/prices/")
async def post_price(price: Price):
    return {"amount": price.amount, "repr": str(price.amount)}


@app.post("/prices/model", response_model=Price)
async def post_price_model(price: Price):
    return price


@app.get("/prices/")
async def get_price(amount: Annotated[Decimal, Query(max_digits=6, decimal_places=2)]):
    return {"amount": amount, "repr": str(amount)}


@app.post("/durations/")
async def post_duration(d: Durations):
    return {"wait": d.wait, "seconds": d.wait.total_seconds()}


@app.post("/durations/model", response_model=Durations)
async def post_duration_model(d: Durations):
    return d


@app.get("/durations/")
async def get_duration(wait: timedelta):
    return {"wait": wait, "seconds": wait.total_seconds()}


@app.post("/moments/")
async def post_moment(m: Moments):
    return {
        "at": m.at,
        "aware": m.at.tzinfo is not None,
        "day": m.day,
        "clock": m.clock,
    }


@app.post("/moments/model", response_model=Moments)
async def post_moment_model(m: Moments):
    return m


@app.get("/moments/")
async def get_moment(at: datetime, day: date | None = None, clock: time | None = None):
    return {"at": at, "aware": at.tzinfo is not None, "day": day, "clock": clock}


@app.post("/invoices/", response_model=Invoice)
async def post_invoice(invoice: Invoice):
    return invoice
