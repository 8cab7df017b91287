"""`python -m zhengshu` runs the command-line interface."""

from zhengshu.cli import main

main()
