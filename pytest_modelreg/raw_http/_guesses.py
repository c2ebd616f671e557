"""Every answer of the raw-HTTP layer that no public evidence settles, in one place, marked
[INFERRED] so it is easy to correct when evidence turns up."""

from __future__ import annotations

# [INFERRED] An S3 POST upload whose policy's ``expiration`` has passed: AccessDenied, 403, with
# the text S3 gives for a failed POST policy check. No public response seen for this case.
POLICY_EXPIRED_MESSAGE = "Invalid according to Policy: Policy expired."

# [INFERRED] The answer to the SageMaker Python SDK's telemetry GET (see serve.SDK_TELEMETRY): the
# SDK ignores it (sagemaker.core.telemetry.telemetry_logging swallows any outcome), so any answer
# leaves its behaviour unchanged; an empty 200 is the simplest.
SDK_TELEMETRY_STATUS = 200
