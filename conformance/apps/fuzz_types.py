"""The differential fuzzer's app: one route per type, in a JSON body and (for
what a parameter can be) in the query string. Each route echoes what it was
given, so an accepted value is compared as pydantic wrote it back. The inputs
are generated (cases/cases_fuzz_types.py, seeded): nobody chose them."""
import datetime
import decimal
import enum
import ipaddress
import uuid
from typing import Annotated, Literal, Optional

from fastapi import Cookie, FastAPI, Form, Header, Path, Query
from pydantic import (AwareDatetime, BaseModel, Field, FutureDate, FutureDatetime, IPvAnyAddress, IPvAnyInterface,
                      IPvAnyNetwork, NaiveDatetime, PastDate, PastDatetime)

app = FastAPI()


class Color(str, enum.Enum):
    red = "red"
    green = "green"


class Level(enum.IntEnum):
    low = 1
    high = 2


class Inner(BaseModel):
    i: int
    s: str = "x"


# name -> the field's type. The Rust twin (src/apps/fuzz_types.rs) declares
# the same names; cases/cases_fuzz_types.py generates inputs for each.
BODY_TYPES = {
    "int": int,
    "float": float,
    "str": str,
    "bool": bool,
    "optional_int": Optional[int],
    "list_int": list[int],
    "list_str": list[str],
    "dict_str_int": dict[str, int],
    "dict_int_float": dict[int, float],
    "int_ge0_le100": Annotated[int, Field(ge=0, le=100)],
    "int_multiple_of_3": Annotated[int, Field(multiple_of=3)],
    "str_len_2_5": Annotated[str, Field(min_length=2, max_length=5)],
    "str_pattern": Annotated[str, Field(pattern=r"^[a-z]+\d*$")],
    "float_gt0_lt1": Annotated[float, Field(gt=0, lt=1)],
    "list_len_1_3": Annotated[list[int], Field(min_length=1, max_length=3)],
    "datetime": datetime.datetime,
    "date": datetime.date,
    "uuid": uuid.UUID,
    "str_enum": Color,
    "int_enum": Level,
    "literal": Literal["a", "b"],
    "inner": Inner,
    "list_inner": list[Inner],
    "optional_inner": Optional[Inner],
    "tuple_int_str": tuple[int, str],
    "tuple_ints": tuple[int, ...],
    "set_int": set[int],
    "time": datetime.time,
    "ipv4": ipaddress.IPv4Address,
    "ipv6": ipaddress.IPv6Address,
    "ip_any": IPvAnyAddress,
}

# Types added later: drawn from a stream of their own (the cases above stay
# as recorded).
LATER_BODY_TYPES = {
    "aware_datetime": AwareDatetime,
    "naive_datetime": NaiveDatetime,
    "past_date": PastDate,
    "future_date": FutureDate,
    "past_datetime": PastDatetime,
    "future_datetime": FutureDatetime,
}
LATER_QUERY_TYPES = {
    "aware_datetime": AwareDatetime,
    "past_date": PastDate,
}
# IP networks and interfaces: a stream of their own too.
NET_BODY_TYPES = {
    "ipv4_network": ipaddress.IPv4Network,
    "ipv6_network": ipaddress.IPv6Network,
    "ip_any_network": IPvAnyNetwork,
    "ipv4_interface": ipaddress.IPv4Interface,
    "ipv6_interface": ipaddress.IPv6Interface,
    "ip_any_interface": IPvAnyInterface,
}
NET_QUERY_TYPES = {
    "ip_any_network": IPvAnyNetwork,
}
# Decimals: a stream of their own too.
DECIMAL_BODY_TYPES = {
    "decimal": decimal.Decimal,
    "decimal_5_2": Annotated[decimal.Decimal, Field(max_digits=5, decimal_places=2)],
    "decimal_bounds": Annotated[decimal.Decimal, Field(ge=decimal.Decimal("-1.5"), lt=100,
                                                        multiple_of=decimal.Decimal("0.25"))],
    "list_decimal": list[decimal.Decimal],
}
DECIMAL_QUERY_TYPES = {
    "decimal": decimal.Decimal,
    "decimal_5_2": Annotated[decimal.Decimal, Query(max_digits=5, decimal_places=2)],
    "decimal_ge0_le1000": Annotated[decimal.Decimal, Query(ge=0, le=1000)],
}

QUERY_TYPES = {
    "int": int,
    "float": float,
    "bool": bool,
    "str": str,
    "uuid": uuid.UUID,
    "date": datetime.date,
    "datetime": datetime.datetime,
    "int_ge0_le100": Annotated[int, Query(ge=0, le=100)],
    "str_len_2_5": Annotated[str, Query(min_length=2, max_length=5)],
    "str_enum": Color,
    "list_int": Annotated[list[int], Query()],
}


# Types read from the other sources of parameters: path, header, cookie, form.
SOURCE_TYPES = {
    "int": int,
    "float": float,
    "bool": bool,
    "uuid": uuid.UUID,
    "date": datetime.date,
    "datetime": datetime.datetime,
    "str_enum": Color,
}
SOURCES = {"path": Path, "header": Header, "cookie": Cookie, "form": Form}


def _source_route(source, name, tp):
    marker = SOURCES[source]

    def echo(v: Annotated[tp, marker()]):  # type: ignore[valid-type]
        return {"v": v}

    echo.__name__ = f"{source}_{name}"
    if source == "path":
        app.get(f"/path/{name}/{{v}}")(echo)
    elif source == "form":
        app.post(f"/form/{name}")(echo)
    else:
        app.get(f"/{source}/{name}")(echo)


def _body_route(name, tp):
    model = type(f"Body_{name}", (BaseModel,), {"__annotations__": {"v": tp}})

    def echo(body: model) -> model:  # type: ignore[valid-type]
        return body

    echo.__name__ = f"body_{name}"
    app.post(f"/body/{name}")(echo)


def _query_route(name, tp):
    if getattr(tp, "__metadata__", None) is None:
        tp = Annotated[tp, Query()]

    def echo(v: tp):  # type: ignore[valid-type]
        return {"v": v}

    echo.__name__ = f"query_{name}"
    app.get(f"/query/{name}")(echo)


for _name, _tp in {**BODY_TYPES, **LATER_BODY_TYPES, **NET_BODY_TYPES, **DECIMAL_BODY_TYPES}.items():
    _body_route(_name, _tp)
for _name, _tp in {**QUERY_TYPES, **LATER_QUERY_TYPES, **NET_QUERY_TYPES, **DECIMAL_QUERY_TYPES}.items():
    _query_route(_name, _tp)
for _name, _tp in SOURCE_TYPES.items():
    for _source in SOURCES:
        _source_route(_source, _name, _tp)
