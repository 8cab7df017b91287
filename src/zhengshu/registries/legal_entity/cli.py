"""Commands of the legal-entity base registry: `zhengshu fuse entities` (the fusion engine's command group)."""

from zhengshu.core.fusion.cli import registry_command

entities = registry_command("entities", "legal_entity",
                            "融合法人基础库：实体识别（信用代码精确链接 + Splink）、一数一源黄金记录")
