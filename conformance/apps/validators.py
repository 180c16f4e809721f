"""A model's own validators (`field_validator`, `model_validator`,
`AfterValidator`) reported as pydantic reports them: each field's error in
field order beside the schema's errors of other fields; a model's validator
only when all its fields passed; a list's only when all its items did."""
from typing import Annotated

from fastapi import FastAPI
from pydantic import AfterValidator, BaseModel, Field, field_validator, model_validator

app = FastAPI()


def no_shouting(v: str) -> str:
    if v.isupper():
        raise ValueError("no shouting")
    return v


class Tag(BaseModel):
    label: Annotated[str, AfterValidator(no_shouting)]
    weight: int = Field(ge=0)


# ANCHOR: signup
class Signup(BaseModel):
    name: str = Field(min_length=2)
    nickname: Annotated[str, AfterValidator(no_shouting)]
    age: int = Field(ge=0)
    password: str
    repeat: str
    tags: list[Tag] = []
    scores: list[int] = []

    @field_validator("password")
    @classmethod
    def long_password(cls, v: str) -> str:
        if len(v) < 8:
            raise ValueError("password too short")
        return v

    @field_validator("scores")
    @classmethod
    def some_scores(cls, v: list[int]) -> list[int]:
        if sum(v) > 100:
            raise ValueError("too many points")
        return v

    @model_validator(mode="after")
    def passwords_match(self):
        if self.password != self.repeat:
            raise ValueError("passwords do not match")
        return self
# ANCHOR_END: signup


@app.post("/signup")
def signup(body: Signup) -> Signup:
    return body


class Pair(BaseModel):
    low: int
    high: int

    @model_validator(mode="after")
    def ordered(self):
        if self.low > self.high:
            raise ValueError("low is above high")
        return self


class Range(BaseModel):
    name: Annotated[str, AfterValidator(no_shouting)]
    pair: Pair
    pairs: list[Pair] = []


@app.post("/range")
def ranges(body: Range) -> Range:
    return body
