"""Pydantic models at the edges of the policy module: documents, passages, citations and answers."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field


class DocumentSummary(BaseModel):
    code: str
    title: str
    issuer: str
    number: str = Field(description="文号；无文号时为空")
    published_on: date | None
    effective_on: date | None
    expires_on: date | None
    validity: str = Field(description="in_force | not_yet | expired | repealed | superseded")
    validity_title: str = Field(description="现行有效、已废止……")
    validity_note: str
    source: str
    format: str
    passages: int


class PassageView(BaseModel):
    id: int
    ordinal: int
    heading: str
    clause: str
    text: str
    anchor: str = Field(description="文件页中该条款的锚点，如 p12")


class RelatedDocument(BaseModel):
    code: str | None = Field(description="库中文件的代码；库中没有时为空")
    title: str
    relation: str = Field(description="引用 | 被引用 | 废止 | 被废止")


class DocumentView(BaseModel):
    document: DocumentSummary
    passages: list[PassageView]
    related: list[RelatedDocument]


class DocumentPage(BaseModel):
    documents: list[DocumentSummary]
    total: int
    query: str = ""


class Citation(BaseModel):
    document_code: str
    document_title: str
    number: str = Field(description="文号")
    clause: str = Field(description="条款，如 第二十一条、二、（一）")
    heading: str
    url: str = Field(description="文件页中该条款的地址")
    validity: str
    validity_title: str


class AnswerPassage(BaseModel):
    rank: int
    text: str
    sentence: str = Field(description="回答问题的那一句（页面上高亮）")
    citation: Citation
    score: float
    warning: str = Field("", description="文件已失效、废止或被替代时的提示")


class Answer(BaseModel):
    question: str
    answered: bool
    message: str = Field(description="无答案时的说明，或对提问方式的提示")
    passages: list[AnswerPassage]
    semantic: bool = Field(description="是否用上了语义检索（向量尚未计算完时只用关键词检索）")
    elapsed_ms: float


class ImportedFile(BaseModel):
    file: str
    ok: bool
    title: str = ""
    code: str = ""
    passages: int = 0
    error: str = ""


class ImportResult(BaseModel):
    files: list[ImportedFile]

    @property
    def imported(self) -> int:
        return sum(f.ok for f in self.files)

    @property
    def failed(self) -> int:
        return sum(not f.ok for f in self.files)


class VectorProgress(BaseModel):
    computed: int
    remaining: int
    seconds: float
