"""`zhengshu policy ...` on the test databases: import a folder, ask (the API's JSON), errors as one line."""

from __future__ import annotations

import json

from zhengshu.apps.policy.tests.conftest import SMALL


def test_import_a_folder_then_ask(run_cli, platform, corpus, tmp_path) -> None:
    folder = tmp_path / "lib"
    folder.mkdir()
    for name in SMALL[:2]:
        (folder / name).write_bytes((corpus / name).read_bytes())
    (folder / "broken.pdf").write_text("不是 PDF", "utf-8")
    code, out, _ = run_cli("policy", "import", str(folder))
    assert code == 0 and "导入 2 份，失败 1 份" in out and "broken.pdf：不是可读取的 PDF 文件" in out
    code, out, _ = run_cli("policy", "ask", "网络日志要保存多久？")
    answer = json.loads(out)
    assert code == 0 and answer["answered"] and answer["passages"][0]["citation"]["clause"] == "第二十一条"
    code, out, _ = run_cli("policy", "ask", "")
    assert code == 0 and json.loads(out)["answered"] is False


def test_a_missing_file_is_one_line(run_cli, platform, tmp_path) -> None:
    code, _, err = run_cli("policy", "import", str(tmp_path / "nope.pdf"))
    assert code != 0 and "nope.pdf：文件不存在" in err and "Traceback" not in err
