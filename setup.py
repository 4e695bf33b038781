"""Packaging hook: the wheel carries the files the code needs beside the package (see maritime_ner/paths.py)."""

import runpy
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
# One list of shipped files: paths.py runs on its own (it imports only pathlib).
SHIPPED = runpy.run_path(str(ROOT / "maritime_ner" / "paths.py"))["SHIPPED"]


class BuildWithData(build_py):
    """build_py, plus the shipped files under maritime_ner/_data/ with their project-relative paths."""

    def run(self):
        super().run()
        dest = Path(self.build_lib) / "maritime_ner" / "_data"
        for relative in SHIPPED:
            src, dst = ROOT / relative, dest / relative
            dst.parent.mkdir(parents=True, exist_ok=True)
            if src.is_dir():
                shutil.copytree(src, dst, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "tuned.json"))
            else:
                shutil.copy2(src, dst)


setup(cmdclass={"build_py": BuildWithData})
