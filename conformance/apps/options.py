"""pydantic's `Field` and `model_config` options, each on a model a route reads
and answers: the options that change nothing FastAPI reads, writes or
documents (one model carries them all, its twin a plain struct), and those
that do (aliases, extra keys kept, titles and descriptions, deprecation).
The porting table in the guide lists every option with its ferroapi form."""
from enum import Enum
from typing import Annotated

from fastapi import FastAPI
from pydantic import AliasChoices, BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

app = FastAPI()


class Color(str, Enum):
    red = "red"
    green = "green"


class Quiet(BaseModel):
    """Options without an effect on the wire."""

    model_config = ConfigDict(
        frozen=True,
        validate_assignment=True,
        revalidate_instances="always",
        arbitrary_types_allowed=True,
        from_attributes=True,
        protected_namespaces=(),
        defer_build=True,
        cache_strings=False,
        use_enum_values=True,
        validate_default=True,
        validate_return=True,
        validation_error_cause=True,
        loc_by_alias=True,
        validate_by_alias=True,
        regex_engine="rust-regex",
        extra="ignore",
    )

    name: str = Field(repr=False, frozen=True, alias_priority=1)
    color: Color = Color.red
    count: int = Field(default=1, validate_default=True, ge=0)
    code: str = Field(default="ab", pattern=r"^[a-z]+$")


@app.post("/quiet")
def quiet(body: Quiet) -> Quiet:
    return body


class Camel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)

    first_name: str
    item_count: int = 0


@app.post("/camel")
def camel(body: Camel) -> Camel:
    return body


class Split(BaseModel):
    """Read under one name, written under another."""

    in_only: str = Field(validation_alias="inName")
    out_only: str = Field(serialization_alias="outName")
    either: int = Field(validation_alias=AliasChoices("either", "other"))
    aliased: str = Field(alias="Aliased")
    nick: str | None = Field(default=None, serialization_alias="nickName")


@app.post("/split")
def split(body: Split) -> Split:
    return body


class Open(BaseModel):
    model_config = ConfigDict(extra="allow")

    name: str


@app.post("/open")
def open_model(body: Open) -> Open:
    return body


class Documented(BaseModel):
    model_config = ConfigDict(title="A documented model", use_attribute_docstrings=True,
                              json_schema_extra={"x-kind": "doc"})

    name: str = Field(title="The name", examples=["ann"])
    """Who it is."""
    old: int | None = Field(default=None, deprecated=True)
    shown: str = Field(default="x", description="Said by Field", json_schema_extra={"x-shown": True})


@app.post("/documented")
def documented(body: Documented) -> Documented:
    return body


class Team(BaseModel):
    model_config = ConfigDict(extra="forbid")

    members: list[Camel]
    lead: Camel | None = None


@app.post("/team")
def team(body: Team) -> Team:
    return body


class Shaped(BaseModel):
    name: str
    secret: str = Field(default="s", exclude=True)
    tags: list[str] = Field(default_factory=list)
    sizes: dict[str, int] = Field(default_factory=lambda: {"m": 1})


@app.post("/shaped")
def shaped(body: Shaped) -> Shaped:
    return body


from pydantic import FiniteFloat  # noqa: E402


class Finite(BaseModel):
    v: float = Field(allow_inf_nan=False)
    w: FiniteFloat = 0.0
    free: float = 0.0


@app.post("/finite")
def finite(body: Finite) -> Finite:
    return body


from typing import Mapping, NewType  # noqa: E402

from pydantic import StrictStr, confloat, conbytes  # noqa: E402

UserId = NewType("UserId", int)


class Kinds(BaseModel):
    uid: UserId
    counts: Mapping[str, int] = {}
    ratio: confloat(ge=0, lt=1) = 0.5
    tag: StrictStr = "t"
    blob: conbytes(max_length=3) = b""


@app.post("/kinds")
def kinds(body: Kinds) -> Kinds:
    return body
