"""Zhengshu (政数): an integrated digital-government data platform (一体化政务大数据平台) for a city."""

__version__ = "0.1.0"
