"""Uploads: UploadFile, Optional[UploadFile], bytes files, a list of files, text where a file is expected."""
from typing import Annotated

from fastapi import FastAPI, File, Form, UploadFile

app = FastAPI()


@app.post("/upload/")
async def upload(file: UploadFile):
    data = await file.read()
    return {"filename": file.filename, "size": len(data), "content_type": file.content_type}


@app.post("/maybe/")
async def maybe(file: UploadFile | None = None):
    if file is None:
        return {"file": None}
    return {"file": file.filename}


@app.post("/raw/")
async def raw(data: Annotated[bytes, File()]):
    return {"size": len(data)}


@app.post("/many/")
async def many(files: list[UploadFile], note: Annotated[str, Form()] = ""):
    return {"names": [f.filename for f in files], "note": note}
