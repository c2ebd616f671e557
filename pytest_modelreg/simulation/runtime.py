"""SageMaker Runtime: an endpoint is invoked only if SageMaker holds it, in service.

moto's runtime answers every invocation with a canned response, whatever the endpoint. AWS answers
``ValidationError`` (HTTP 400: botocore's sagemaker-runtime model, shape ``ValidationError``) when
the endpoint does not exist, in the words users report from AWS: "An error occurred
(ValidationError) when calling the InvokeEndpoint operation: Endpoint driving-endpoint of account
127310796078 not found." (aws/amazon-sagemaker-examples#559, where a SageMaker engineer traced it to
a deleted endpoint; the same text in #293 and #1477). The
check runs after authorization, before moto serves the call: AWS authorizes a request before it
looks at the resource.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from pytest_modelreg.simulation import moto
from pytest_modelreg.simulation._guesses import ENDPOINT_NOT_IN_SERVICE_MESSAGE
from pytest_modelreg.simulation.base import CallContext, MotoCheck, ServiceError

ENDPOINT_NOT_FOUND_MESSAGE: Final = "Endpoint {name} of account {account} not found."
_INVOCATIONS: Final = frozenset(
    {"InvokeEndpoint", "InvokeEndpointAsync", "InvokeEndpointWithResponseStream"}
)


class EndpointInvocations(MotoCheck):
    """Checks each invocation against the endpoints moto's SageMaker holds (serves none itself)."""

    def before_moto(
        self, service: str, operation: str, params: Mapping[str, Any], ctx: CallContext
    ) -> None:
        if service != "sagemaker-runtime" or operation not in _INVOCATIONS:
            return
        name = str(params.get("EndpointName", ""))
        self.moto.ensure_started()
        status = moto.endpoint_status(ctx.account_id, ctx.region, name)
        if status == "InService":
            return
        text = (status and ENDPOINT_NOT_IN_SERVICE_MESSAGE) or ENDPOINT_NOT_FOUND_MESSAGE
        raise ServiceError(
            "ValidationError", text.format(name=name, account=ctx.account_id, status=status)
        )
