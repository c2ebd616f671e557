"""Installing botocore's handlers as soon as botocore exists, without importing it.

The handle covers clients created before activation (README, "Activation"), so the interception
handlers must be on every botocore session from the first one on; but a run that never uses the
mock must not pay for importing botocore. :func:`arm` (called when the package is imported) waits
for ``botocore.session`` to be imported by anyone, then calls
:func:`pytest_modelreg.interception.install` once; if botocore is already imported it installs at
once. Every activation calls ``install()`` as well (idempotent).
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
from collections.abc import Sequence
from types import ModuleType

_TARGET = "botocore.session"


class _InstallWithBotocore(importlib.abc.MetaPathFinder):
    """Finds ``botocore.session`` through the other finders, and has it install our handlers
    right after it is executed."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != _TARGET:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None and spec.loader is not None:
                spec.loader = _InstallAfterLoading(spec.loader)
                return spec
        return None


class _InstallAfterLoading(importlib.abc.Loader):
    def __init__(self, loader: importlib.abc.Loader) -> None:
        self._loader = loader

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return self._loader.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        self._loader.exec_module(module)
        sys.meta_path[:] = [f for f in sys.meta_path if not isinstance(f, _InstallWithBotocore)]
        _install()


def _install() -> None:
    from pytest_modelreg import interception

    interception.install()


def arm() -> None:
    """Install the handlers now if botocore is imported, else the moment it is (idempotent)."""
    if _TARGET in sys.modules:
        _install()
    elif not any(isinstance(f, _InstallWithBotocore) for f in sys.meta_path):
        sys.meta_path.insert(0, _InstallWithBotocore())
