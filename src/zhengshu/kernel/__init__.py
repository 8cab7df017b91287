"""The kernel: primitives every module stands on (database, unit of work, actor, errors, events, clock, crypto).

The kernel imports nothing else from zhengshu; everything else may import it.
"""
