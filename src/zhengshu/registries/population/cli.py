"""`zhengshu fuse persons`: fuse the population base registry (added to the fusion module's `fuse` group)."""

from zhengshu.core.fusion.cli import registry_command

persons = registry_command("persons", "population",
                           "融合人口基础库：读取各部门的人员数据（仅读取有新版本的来源），链接为人员，按一数一源生成并发布人口基础库")
