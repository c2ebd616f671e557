"""pytest-modelreg: test code built on the AWS SageMaker Model Registry offline, with every call
authorized as AWS would authorize it.

Architecture (one module or package per layer; a call flows down this list):

* :mod:`pytest_modelreg.plugin` — the pytest surface: options, the ``modelreg`` marker and fixture.
* :mod:`pytest_modelreg.activation` — ``mock_modelreg`` and the handle (``reg``): which activation
  is in force, its environment.
* :mod:`pytest_modelreg.interception` — botocore event handlers
  (``before-parameter-build`` → ``before-call`` → ``before-send``), inert unless a mock is active.
* :mod:`pytest_modelreg.pipeline` — one call: principal → authorization requests → evaluation →
  deny or serve → record.
* :mod:`pytest_modelreg.principals` — who signs a call, and the policies AWS evaluates for them
  (including users and roles created inside the simulated IAM).
* :mod:`pytest_modelreg.authorization` — the operation mapping: a call and its parameters become
  the (action, resource, context) requests AWS authorizes. Seam: ``authorization_requests()``.
* :mod:`pytest_modelreg.iam` — the IAM policy engine: ``Policy.parse``, ``evaluate()``,
  ``simulate()``. Seam: ``evaluate(Request, PolicySet) -> Evaluation``.
* :mod:`pytest_modelreg.simulation` — the simulated AWS: the package's own Model Registry
  (``simulation.registry``; seam: ``ModelRegistry.claims/handle/before_moto``) and moto underneath
  for everything else, reached only through the adapter ``simulation.moto``.
* :mod:`pytest_modelreg.policies` — AWS managed policy documents.
* :mod:`pytest_modelreg.least_privilege` — the policy a set of calls needs.
* :mod:`pytest_modelreg.linter` (``lint()``) — policy findings against IAM grammar, reference data.

Importing the package is cheap: what ``__all__`` names beyond ``mock_modelreg`` and the errors loads
on first use, the simulation and the IAM engine on the first activation.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from pytest_modelreg.activation import ModelRegistryHandle, ModelregMock, mock_modelreg
from pytest_modelreg.errors import (
    AccessDeniedWarning,
    ModelregError,
    SimulationError,
    UnsupportedOperationError,
)

if TYPE_CHECKING:
    from pytest_modelreg.iam import MalformedPolicyDocument, simulate
    from pytest_modelreg.linter import lint
    from pytest_modelreg.principals import Principal
    from pytest_modelreg.records import Authorization, CallRecord

__all__ = [
    "AccessDeniedWarning",
    "Authorization",
    "CallRecord",
    "MalformedPolicyDocument",
    "ModelRegistryHandle",
    "ModelregError",
    "ModelregMock",
    "Principal",
    "SimulationError",
    "UnsupportedOperationError",
    "lint",
    "mock_modelreg",
    "simulate",
]

# Loaded by the first use of the name, so that the pytest plugin, which imports this package,
# costs nothing in a run that never uses them.
_LAZY = {
    "MalformedPolicyDocument": "pytest_modelreg.iam",
    "simulate": "pytest_modelreg.iam",
    "lint": "pytest_modelreg.linter",
    "Principal": "pytest_modelreg.principals",
    "Authorization": "pytest_modelreg.records",
    "CallRecord": "pytest_modelreg.records",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
