"""Permissions of the audit module. Only platform administrators (and the platform's own commands) read the
log; nobody may change it."""

from zhengshu.kernel.permissions import Permission, Role

AUDIT_READ = Permission("audit.read", "查看、导出与校验审计日志", (Role.PLATFORM_ADMIN, Role.SYSTEM))
AUDIT_CHECKPOINT = Permission("audit.checkpoint", "签发审计检查点", (Role.PLATFORM_ADMIN, Role.SYSTEM))

ALL = (AUDIT_READ, AUDIT_CHECKPOINT)
