"""Policy library use cases on the real database (SQLite and PostgreSQL) with real files: imports of every
format and of a folder, bad files, repeal, the audit trail, and answers with citations."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from conftest import make_actor
from pypdf import PdfWriter

from zhengshu.apps.policy import service
from zhengshu.apps.policy.tests.conftest import SMALL, SYSTEM
from zhengshu.kernel.errors import InvalidInput, NotFound
from zhengshu.kernel.permissions import Role
from zhengshu.modules import Platform

ANALYST = make_actor(Role.ANALYST)

NOTICE = """某市人民政府办公室关于印发某市灵活就业补贴办法的通知
某府办规〔2024〕7号
各区人民政府：
一、补贴对象
（一）本市户籍的灵活就业人员。
二、补贴标准
（一）按月补贴社会保险费的三分之二。
本办法自2024年1月1日起施行。《某市旧补贴办法》同时废止。
某市人民政府办公室
2023年12月20日
"""


def _docx(path: Path, paragraphs: list[str]) -> Path:
    """A minimal real Office Open XML document (what Word writes, without styles)."""
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/'
            'word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.'
            'document.main+xml"/></Types>'))
        archive.writestr("_rels/.rels", (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>'))
        archive.writestr("word/_rels/document.xml.rels", (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"></Relationships>'))
        archive.writestr("word/document.xml", (
            '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
            'wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
            f'relationships"><w:body>{body}</w:body></w:document>'))
    return path


def test_a_folder_of_every_format_is_imported_and_bad_files_are_reported(platform: Platform, tmp_path,
                                                                         corpus, audit_trail) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a-notice.txt").write_bytes(NOTICE.encode("gb18030"))  # GBK, as many offices save
    (folder / "b-page.html").write_text(
        "<html><head><title>居住证办理指南</title></head><body><h1>居住证办理指南</h1><p>一、办理条件</p>"
        "<p>在本市居住半年以上，有合法稳定就业的，可以申领居住证。</p></body></html>", "utf-8")
    _docx(folder / "c-rules.docx", ["某市数据管理办法", "第一条 为了规范数据管理，制定本办法。",
                                     "第二条 公共数据应当依法共享。"])
    (folder / "d-fake.docx").write_text("这其实是一个文本文件", "utf-8")
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)  # a scan without a text layer reads the same
    with (folder / "e-scan.pdf").open("wb") as out:
        writer.write(out)

    result = service.import_folder(platform.uow(), SYSTEM, folder)

    by_file = {f.file: f for f in result.files}
    assert [f.file for f in result.files if f.ok] == ["a-notice.txt", "b-page.html", "c-rules.docx"]
    assert "不是有效的 Word 文档" in by_file["d-fake.docx"].error
    assert "扫描件" in by_file["e-scan.pdf"].error
    notice = service.get_document(platform.uow(), SYSTEM, by_file["a-notice.txt"].code).document
    assert (notice.number, notice.issuer, str(notice.effective_on)) == ("某府办规〔2024〕7号", "某市人民政府办公室",
                                                                        "2024-01-01")
    rules = service.get_document(platform.uow(), SYSTEM, by_file["c-rules.docx"].code)
    assert [p.clause for p in rules.passages] == ["第一条", "第二条"] and rules.document.format == "docx"
    page = service.get_document(platform.uow(), SYSTEM, by_file["b-page.html"].code)
    assert page.document.title == "居住证办理指南" and page.passages[0].clause == "一、"
    assert [a for a, *_ in audit_trail()].count("policy.document_imported") == 3


def test_reimporting_replaces_and_a_repealing_document_changes_the_other(platform: Platform, tmp_path) -> None:
    old = tmp_path / "old.txt"
    old.write_text("某市旧补贴办法\n第一条 旧的规定。\n", "utf-8")
    first = service.import_file(platform.uow(), SYSTEM, old)
    again = service.import_file(platform.uow(), SYSTEM, old)
    assert again.code == first.code and service.list_documents(platform.uow(), SYSTEM).total == 1
    new = tmp_path / "new.txt"
    new.write_text(NOTICE, "utf-8")
    service.import_file(platform.uow(), SYSTEM, new)
    view = service.get_document(platform.uow(), SYSTEM, first.code)
    assert view.document.validity == "repealed" and str(view.document.expires_on) == "2024-01-01"
    assert view.document.validity_note == ("被《某市人民政府办公室关于印发某市灵活就业补贴办法的通知》"
                                           "某府办规〔2024〕7号废止")
    assert [(r.relation, r.code is not None) for r in view.related] == [("被废止", True)]
    answer = service.ask(platform.uow(), SYSTEM, "旧的补贴办法有什么规定")
    assert answer.answered and "已废止" in answer.passages[0].warning


def test_only_the_platform_keeps_the_library_and_missing_documents_are_not_found(library: Platform,
                                                                               tmp_path) -> None:
    (tmp_path / "x.txt").write_text("标题\n正文。", "utf-8")
    with pytest.raises(NotFound):
        service.import_file(library.uow(), ANALYST, tmp_path / "x.txt")
    with pytest.raises(NotFound):
        service.get_document(library.uow(), ANALYST, "0000000000000000")
    with pytest.raises(InvalidInput, match="不支持的文件类型"):
        service.import_file(library.uow(), SYSTEM, tmp_path / "x.doc")
    listing = service.list_documents(library.uow(), ANALYST, "网络安全")
    assert [d.title for d in listing.documents] == ["中华人民共和国网络安全法"]


def test_a_question_gets_the_clause_with_its_citation_and_highlighted_sentence(library: Platform) -> None:
    service.compute_vectors(library.uow(), SYSTEM)
    answer = service.ask(library.uow(), make_actor(None), "网络日志要保存多久？")
    assert answer.answered and answer.semantic
    top = answer.passages[0]
    assert (top.citation.document_title, top.citation.clause) == ("中华人民共和国网络安全法", "第二十一条")
    assert top.citation.number == "中华人民共和国主席令第五十三号" and "不少于六个月" in top.sentence
    assert top.citation.url.endswith("#p22") and top.warning == ""
    card = service.ask(library.uow(), SYSTEM, "社保卡要带什么材料去办")
    assert card.answered and card.passages[0].citation.document_title == "怎么申领广州市社会保障卡？"


def test_vectors_are_computed_once_and_reused(library: Platform, sql) -> None:
    first = service.compute_vectors(library.uow(), SYSTEM, limit=5)
    assert first.computed == 5 and first.remaining > 0
    [(stored,)] = sql("SELECT count(*) FROM policy_vectors")
    assert stored == 5
    service.import_file(library.uow(), SYSTEM, library_corpus(SMALL[0]))  # same text again: same digests
    assert service.compute_vectors(library.uow(), SYSTEM, limit=0).remaining == first.remaining


def library_corpus(name: str) -> Path:
    from zhengshu.apps.policy.tests.conftest import CORPUS

    return CORPUS / name


@pytest.mark.parametrize("question, reason", [
    ("", "请输入"), ("   ", "请输入"), ("问" * 10_000, "太长"), ("How long are network logs kept?", "中文"),
    ("火星移民签证的申请条件是什么", "没有找到"),
])
def test_bad_and_unanswerable_questions_get_a_polite_no_answer(library: Platform, question, reason) -> None:
    answer = service.ask(library.uow(), SYSTEM, question)
    assert not answer.answered and reason in answer.message and answer.passages == []
