"""Building the models of values the engine computed itself, without validating them again.

pydantic's ``model_construct`` skips validation but still walks every field to fill defaults
and work out which were set: a few microseconds per model, which a budgeting tool calling
:func:`tokko.calculate` thousands of times pays for every item. :func:`construct` does the same
for the engine's own values, where every field is given: it sets the instance's attributes the
way ``model_construct`` does, and nothing else. ``tests/model/test_construct.py`` checks that it
builds exactly what ``model_construct`` builds, for every model the engine builds this way.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)


def construct(model: type[M], /, **values: Any) -> M:
    """An instance of ``model`` holding ``values`` (every field of the model, of its type).

    A call that leaves a field out is a TypeError (``model_construct`` would fill its default;
    this does not), caught by the tests of every caller.
    """
    if values.keys() != model.__pydantic_fields__.keys():
        missing = sorted(set(model.__pydantic_fields__) - set(values))
        extra = sorted(set(values) - set(model.__pydantic_fields__))
        raise TypeError(f"construct({model.__name__}): missing {missing}, unknown {extra}")
    instance = model.__new__(model)
    object.__setattr__(instance, "__dict__", values)
    object.__setattr__(instance, "__pydantic_fields_set__", set(values))
    object.__setattr__(instance, "__pydantic_extra__", None)
    object.__setattr__(instance, "__pydantic_private__", None)
    return instance
