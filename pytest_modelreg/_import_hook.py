"""Installing botocore's handlers as soon as botocore exists, without importing it.

The handle covers clients created before activation (README, "Activation"), so the interception
handlers must be on every botocore session from the first one on; but a run that never uses the
mock must not pay for importing botocore. :func:`arm` (called when the package is imported) waits
for ``botocore.session`` to be imported by anyone, then calls
:func:`pytest_modelreg.interception.install` once; if botocore is already imported it installs at
once. Every activation calls ``install()`` as well (idempotent).

:func:`after_import` is the general form: run a callback once a module has been executed (the raw
HTTP guard uses it for moto's core).
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
from collections.abc import Callable, Sequence
from types import ModuleType

_TARGET = "botocore.session"


class _AfterImport(importlib.abc.MetaPathFinder):
    """Finds one module through the other finders, and has a callback run right after the module
    is executed."""

    def __init__(self, target: str, callback: Callable[[], None]) -> None:
        self.target = target
        self.callback = callback

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != self.target:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None and spec.loader is not None:
                spec.loader = _CallAfterLoading(spec.loader, self)
                return spec
        return None


class _CallAfterLoading(importlib.abc.Loader):
    def __init__(self, loader: importlib.abc.Loader, finder: _AfterImport) -> None:
        self._loader = loader
        self._finder = finder

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return self._loader.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        self._loader.exec_module(module)
        sys.meta_path[:] = [f for f in sys.meta_path if f is not self._finder]
        self._finder.callback()


def after_import(target: str, callback: Callable[[], None]) -> None:
    """Call ``callback`` now if module ``target`` is imported, else right after it is (once)."""
    if target in sys.modules:
        callback()
    elif not any(isinstance(f, _AfterImport) and f.target == target for f in sys.meta_path):
        sys.meta_path.insert(0, _AfterImport(target, callback))


def _install() -> None:
    module = sys.modules.get("pytest_modelreg.interception")
    if module is not None and not hasattr(module, "install"):
        # botocore.session is being imported by the interception module itself, whose importer
        # (the first activation) installs as soon as it is loaded.
        return
    from pytest_modelreg import interception

    interception.install()


def arm() -> None:
    """Install the handlers now if botocore is imported, else the moment it is (idempotent)."""
    after_import(_TARGET, _install)
