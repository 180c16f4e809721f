"""Unions: discriminated (`Field(discriminator=...)`: `union_tag_invalid`,
`union_tag_not_found`, errors under the tag, `oneOf` + `discriminator` in the
document) and smart-mode unions of plain types and models."""
from typing import Annotated, Literal, Optional, Union

from fastapi import FastAPI
from pydantic import BaseModel, Field

app = FastAPI()


class Cat(BaseModel):
    pet_type: Literal["cat"]
    meows: int


class Dog(BaseModel):
    pet_type: Literal["dog"]
    barks: float
    good: bool = True


class Owner(BaseModel):
    name: str
    pet: Annotated[Union[Cat, Dog], Field(discriminator="pet_type")]


class Mixed(BaseModel):
    value: Union[int, str]
    maybe: Optional[Union[int, bool]] = None


@app.post("/owners")
def owners(owner: Owner) -> Owner:
    return owner


@app.post("/mixed")
def mixed(m: Mixed) -> Mixed:
    return m
