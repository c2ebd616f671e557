"""Every answer of the raw-HTTP layer that no public evidence settles, in one place, marked
[INFERRED] so it is easy to correct when evidence turns up."""

from __future__ import annotations

# [INFERRED] An S3 POST upload whose policy's ``expiration`` has passed: AccessDenied, 403, with
# the text S3 gives for a failed POST policy check. No public response seen for this case.
POLICY_EXPIRED_MESSAGE = "Invalid according to Policy: Policy expired."

# [INFERRED] An S3 POST upload whose file is smaller than its policy's content-length-range:
# EntityTooSmall, 400 (the S3 error code list), in the words of the observed EntityTooLarge answer
# ("Your proposed upload exceeds the maximum allowed size", infinitered/apisauce#245), turned round.
POST_TOO_SMALL_MESSAGE = "Your proposed upload is smaller than the minimum allowed size"

# [INFERRED] A POST policy condition on the key is checked against the key field as submitted,
# before S3 replaces ${filename} in it (post_policy.py compares form fields as sent); starts-with
# conditions on a prefix, what boto3's generate_presigned_post writes for such keys, are met
# either way.

# [INFERRED] The answer to the SageMaker Python SDK's telemetry GET (see serve.SDK_TELEMETRY): the
# SDK ignores it (sagemaker.core.telemetry.telemetry_logging swallows any outcome), so any answer
# leaves its behaviour unchanged; an empty 200 is the simplest.
SDK_TELEMETRY_STATUS = 200
