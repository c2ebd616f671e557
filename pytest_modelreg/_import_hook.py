"""Run code right after a module is imported, without importing it.

:func:`after_import` runs a callback each time a module is executed (the raw HTTP guard uses it
for moto's core, whose ``responses`` mock it hooks). Clients created before an activation need no
hook: the first activation calls :func:`pytest_modelreg.interception.install`, whose botocore guard
(:mod:`pytest_modelreg.containment`) gives every client the handlers on its first call under a
mock. The finders stay in place: a pytester in-process run drops
the modules it imported, and the next one imports them afresh. The callbacks are idempotent.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from importlib.machinery import ModuleSpec
    from types import ModuleType


class _AfterImport:
    """A meta path finder (importlib.abc.MetaPathFinder's protocol; the ABC itself costs an
    import): finds one module through the other finders, and has a callback run right after the
    module is executed."""

    def __init__(self, target: str, callback: Callable[[], None]) -> None:
        self.target = target
        self.callback = callback

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if fullname != self.target:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None and spec.loader is not None:
                spec.loader = _CallAfterLoading(spec.loader, self.callback)  # type: ignore[assignment]
                return spec
        return None


class _CallAfterLoading:
    """The loader the module would have had, followed by the callback."""

    def __init__(self, loader: Any, callback: Callable[[], None]) -> None:
        self._loader = loader
        self._callback = callback

    def create_module(self, spec: ModuleSpec) -> ModuleType | None:
        result: ModuleType | None = self._loader.create_module(spec)
        return result

    def exec_module(self, module: ModuleType) -> None:
        self._loader.exec_module(module)
        self._callback()


# Callbacks whose module was still executing when they were asked for (an import that reached us
# half-way, e.g. moto's core importing botocore): run by run_pending() once it has finished.
_pending: list[tuple[str, Callable[[], None]]] = []


def _initializing(module: ModuleType) -> bool:
    spec = getattr(module, "__spec__", None)
    return bool(getattr(spec, "_initializing", False))


def after_import(target: str, callback: Callable[[], None]) -> None:
    """Call ``callback`` now if module ``target`` is imported, and whenever it is imported."""
    module = sys.modules.get(target)
    if module is not None:
        if _initializing(module):
            _pending.append((target, callback))
        else:
            callback()
    if not any(isinstance(f, _AfterImport) and f.target == target for f in sys.meta_path):
        sys.meta_path.insert(0, _AfterImport(target, callback))


def run_pending() -> None:
    """Run the callbacks deferred by :func:`after_import` whose module has finished executing
    (every activation calls it)."""
    for item in list(_pending):
        module = sys.modules.get(item[0])
        if module is not None and not _initializing(module):
            _pending.remove(item)
            item[1]()
