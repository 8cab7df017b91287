"""Tables of the policy module (policy_*): documents, their cited passages, and the passages' vectors."""

from sqlalchemy import JSON, Column, Date, ForeignKey, Integer, LargeBinary, String, Table, Text, UniqueConstraint

from zhengshu.kernel.database import UTCDateTime, metadata

documents = Table(  # 政策文件
    "policy_documents",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("code", String(16), nullable=False, unique=True),  # in URLs: SM3 of the source, 16 hex digits
    Column("title", String(300), nullable=False),
    Column("issuer", String(200), nullable=False),  # 发文机关
    Column("number", String(120), nullable=False),  # 文号, "" when none
    Column("published_on", Date, nullable=True),
    Column("effective_on", Date, nullable=True),  # 施行日期
    Column("expires_on", Date, nullable=True),  # 失效/废止日期
    Column("validity", String(16), nullable=False, index=True),
    Column("validity_note", String(300), nullable=False),  # 被《…》废止
    Column("source", String(500), nullable=False),  # file name, URL, or the national law database
    Column("format", String(16), nullable=False),  # txt | html | docx | pdf | lawdb
    Column("named", JSON, nullable=False),  # titles it names (《…》)
    Column("repeals", JSON, nullable=False),  # titles it repeals
    Column("imported_at", UTCDateTime, nullable=False),
)

passages = Table(  # 段落: the cited pieces, in order
    "policy_passages",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("document_id", Integer, ForeignKey("policy_documents.id", ondelete="CASCADE"), nullable=False),
    Column("ordinal", Integer, nullable=False),
    Column("heading", String(500), nullable=False),
    Column("clause", String(120), nullable=False),
    Column("text", Text, nullable=False),
    Column("digest", String(64), nullable=False, index=True),  # SM3 of what is embedded
    UniqueConstraint("document_id", "ordinal"),
)

vectors = Table(  # 检索向量: multilingual-e5-small vectors keyed by the embedded text's SM3, reused across imports
    "policy_vectors",
    metadata,
    Column("digest", String(64), primary_key=True),
    Column("vector", LargeBinary, nullable=False),  # float32 × 384, little-endian
)
