"""The synthetic city as the platform sees it: one command group."""

from zhengshu.modules import Module
from zhengshu.synth import cli

MODULE = Module(name="synth", title="合成城市", cli=(cli.app,))
