"""The wheel carries compiled catalogs: build_py compiles slackapp/locale/*/messages.po to .mo
first (pyproject.toml holds everything else)."""

from __future__ import annotations

import os
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithCatalogs(build_py):
    def run(self) -> None:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        for po in Path(__file__).parent.glob("slackapp/locale/*/LC_MESSAGES/messages.po"):
            with po.open("rb") as source:
                catalog = read_po(source)
            # Written beside and moved into place: a running app (or test) reading the catalog
            # meanwhile sees the old file or the new one, never half of one.
            compiled, partial = po.with_suffix(".mo"), po.with_suffix(f".mo.{os.getpid()}")
            with partial.open("wb") as target:
                write_mo(target, catalog)
            os.replace(partial, compiled)
        super().run()


setup(cmdclass={"build_py": BuildWithCatalogs})
