"""response_model filtering: extra fields dropped, response_model_exclude_unset /
exclude_none / exclude_defaults, aliases (by_alias default and
response_model_by_alias=False), a `-> UserOut` annotation returning a subclass instance."""
from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict, Field

app = FastAPI()


class UserOut(BaseModel):
    username: str
    email: str
    full_name: str | None = None


class UserIn(UserOut):
    password: str


class UserInDB(UserOut):
    password_hash: str


class Item(BaseModel):
    name: str
    description: str | None = None
    price: float = 10.5
    tax: float | None = None
    tags: list[str] = []


class Profile(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    user_name: str = Field(alias="userName")
    display_name: str | None = Field(default=None, alias="displayName")
    age: int = 0


ITEMS = {
    "foo": {"name": "Foo", "price": 50.2},
    "bar": {"name": "Bar", "description": "The bartenders", "price": 62, "tax": 20.2},
    "baz": {"name": "Baz", "description": None, "price": 10.5, "tax": None, "tags": []},
}


@app.get("/users/dict", response_model=UserOut)
async def user_from_dict():
    return {"username": "alice", "email": "a@example.com", "password_hash": "x1", "is_admin": True}


@app.get("/users/model", response_model=UserOut)
async def user_from_model():
    return UserInDB(username="bob", email="b@example.com", password_hash="x2")


@app.post("/users/", response_model=UserOut, status_code=201)
async def create_user(user: UserIn):
    return user


@app.post("/users/annotated")
async def create_user_annotated(user: UserIn) -> UserOut:
    return user


@app.get("/users/list", response_model=list[UserOut])
async def list_users():
    return [
        {"username": "a", "email": "a@x", "password_hash": "h"},
        UserInDB(username="b", email="b@x", full_name="B", password_hash="h"),
    ]


@app.get("/items/{item_id}/unset", response_model=Item, response_model_exclude_unset=True)
async def item_unset(item_id: str):
    return ITEMS[item_id]


@app.get("/items/{item_id}/none", response_model=Item, response_model_exclude_none=True)
async def item_none(item_id: str):
    return ITEMS[item_id]


@app.get("/items/{item_id}/defaults", response_model=Item, response_model_exclude_defaults=True)
async def item_defaults(item_id: str):
    return ITEMS[item_id]


@app.get("/items/{item_id}/full", response_model=Item)
async def item_full(item_id: str):
    return ITEMS[item_id]


@app.get("/items/{item_id}/model-unset", response_model=Item, response_model_exclude_unset=True)
async def item_model_unset(item_id: str):
    return Item(**ITEMS[item_id])


@app.post("/profiles/", response_model=Profile)
async def profile_by_alias(profile: Profile):
    return profile


@app.post("/profiles/no-alias", response_model=Profile, response_model_by_alias=False)
async def profile_no_alias(profile: Profile):
    return profile


@app.get("/profiles/from-dict", response_model=Profile)
async def profile_from_dict():
    return {"user_name": "ann", "displayName": "Ann"}
