"""pytest-modelreg: test code built on the AWS SageMaker Model Registry offline, with every call
authorized as AWS would authorize it.

Architecture (one module or package per layer):

* :mod:`pytest_modelreg.plugin` — the pytest surface: options, the ``modelreg`` marker and fixture.
* :mod:`pytest_modelreg.activation` — ``mock_modelreg`` and the handle (``reg``); owns the per-call
  pipeline: principal → authorization → serve.
* :mod:`pytest_modelreg.interception` — permanent botocore event handlers
  (``before-parameter-build`` → ``before-call`` → ``before-send``), inert unless a mock is active.
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
"""

from pytest_modelreg.activation import (
    AccessDeniedWarning,
    ModelRegistryHandle,
    ModelregMock,
    mock_modelreg,
)
from pytest_modelreg.errors import ModelregError, SimulationError, UnsupportedOperationError
from pytest_modelreg.iam import MalformedPolicyDocument, simulate
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
    "mock_modelreg",
    "simulate",
]
