"""Documentation that cannot drift: every setting and every permission is documented."""

from pathlib import Path

from zhengshu.modules import load_modules
from zhengshu.settings import Settings

DOCS = Path(__file__).parents[2] / "docs"


def test_every_setting_is_documented() -> None:
    text = (DOCS / "settings.md").read_text(encoding="utf-8")
    missing = [name for name in Settings.model_fields if f"`ZHENGSHU_{name.upper()}`" not in text]
    assert missing == []


def test_every_module_has_a_page_listing_its_permissions() -> None:
    for module in load_modules():
        page = DOCS / "modules" / f"{module.name}.md"
        assert page.exists(), f"docs/modules/{module.name}.md is missing"
        text = page.read_text(encoding="utf-8")
        missing = [p.name for p in module.permissions if f"`{p.name}`" not in text]
        assert missing == [], f"{page.name} does not document {missing}"
