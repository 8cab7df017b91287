"""Form input to pydantic models, with one clear Chinese message naming the field that is wrong."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from zhengshu.kernel.errors import InvalidInput

Model = TypeVar("Model", bound=BaseModel)


def parse_form(model: type[Model], **values: Any) -> Model:
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        title = model.model_fields[field].description if field in model.model_fields else field
        raise InvalidInput(f"{title or field}填写有误：{first['msg']}", field=field) from exc
