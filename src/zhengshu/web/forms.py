"""Form input to pydantic models, with one clear Chinese message naming the field that is wrong."""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from pydantic import BaseModel, ValidationError
from starlette.datastructures import FormData

from zhengshu.kernel.errors import InvalidInput

Model = TypeVar("Model", bound=BaseModel)


RULES = {  # pydantic's error types, said in Chinese
    "greater_than_equal": "须不小于 {ge}",
    "greater_than": "须大于 {gt}",
    "less_than_equal": "须不大于 {le}",
    "less_than": "须小于 {lt}",
    "missing": "不能为空",
    "string_too_short": "至少 {min_length} 个字符",
    "string_too_long": "最多 {max_length} 个字符",
    "too_short": "至少 {min_length} 项",
    "int_parsing": "须为整数",
    "float_parsing": "须为数字",
    "extra_forbidden": "不是可用的选项",
}


def parse_form(model: type[Model], **values: Any) -> Model:
    """Validate values into `model`; the first problem becomes an InvalidInput naming the field and rule."""
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        title = model.model_fields[field].description if field in model.model_fields else field
        rule = RULES.get(first["type"])
        reason = rule.format(**first.get("ctx", {})) if rule else first["msg"]
        raise InvalidInput(f"{title or field}（{field}）{reason}", field=field) from exc


async def _read_form(request: Request) -> FormData:
    return await request.form()  # read once; Starlette keeps it for the CSRF check too


Form = Annotated[FormData, Depends(_read_form)]  # a handler's posted form


def form_text(form: FormData, name: str) -> str:
    """A form field's text, trimmed ("" when absent or a file)."""
    value = form.get(name, "")
    return value.strip() if isinstance(value, str) else ""
