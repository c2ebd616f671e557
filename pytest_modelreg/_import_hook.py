"""Installing botocore's handlers as soon as botocore exists, without importing it.

The handle covers clients created before activation (README, "Activation"), so the interception
handlers must be on every botocore session from the first one on; but a run that never uses the
mock must not pay for importing botocore. :func:`arm` (called when the package is imported) waits
for ``botocore.session`` to be imported by anyone, then calls
:func:`pytest_modelreg.interception.install`; if botocore is already imported it installs at once.
Every activation calls ``install()`` as well (idempotent). The hook stays in place: a pytester
in-process run drops the modules it imported, and the next one imports botocore afresh.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from importlib.machinery import ModuleSpec
    from types import ModuleType

_TARGET = "botocore.session"


class _InstallWithBotocore:
    """A meta path finder (importlib.abc.MetaPathFinder's protocol; the ABC itself costs an
    import): finds ``botocore.session`` through the other finders, and has it install our
    handlers right after it is executed."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if fullname != _TARGET:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None and spec.loader is not None:
                spec.loader = _InstallAfterLoading(spec.loader)  # type: ignore[assignment]
                return spec
        return None


class _InstallAfterLoading:
    """The loader botocore.session would have had, followed by the installation."""

    def __init__(self, loader: Any) -> None:
        self._loader = loader

    def create_module(self, spec: ModuleSpec) -> ModuleType | None:
        result: ModuleType | None = self._loader.create_module(spec)
        return result

    def exec_module(self, module: ModuleType) -> None:
        self._loader.exec_module(module)
        _install()


def _install() -> None:
    interception = sys.modules.get("pytest_modelreg.interception")
    if interception is not None and not hasattr(interception, "install"):
        # botocore is being imported by the interception layer itself (a first activation before
        # anything imported botocore): the activation installs once that import completes.
        return
    from pytest_modelreg.interception import install

    install()


def arm() -> None:
    """Install the handlers now if botocore is imported, and whenever it is (idempotent)."""
    if _TARGET in sys.modules:
        _install()
    if not any(isinstance(f, _InstallWithBotocore) for f in sys.meta_path):
        sys.meta_path.insert(0, _InstallWithBotocore())
