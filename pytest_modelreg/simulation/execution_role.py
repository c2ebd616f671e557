"""SageMaker acting as a model's execution role: what production checks beyond the caller's
``iam:PassRole``.

SageMaker assumes the execution role (``ExecutionRoleArn`` of CreateModel, ``RoleArn`` of an
Inference Recommender job) as the service principal ``sagemaker.amazonaws.com`` and then reads the
model data and pulls the images with the role's session. "How to use SageMaker AI execution roles"
(SageMaker Developer Guide), section "CreateModel API: Execution Role Permissions": the role needs
``s3:GetObject`` on the model data, ``ecr:GetAuthorizationToken`` on ``*`` and
``ecr:BatchGetImage`` / ``ecr:GetDownloadUrlForLayer`` on the repository, and a trust policy that
lets ``sagemaker.amazonaws.com`` call ``sts:AssumeRole``.

Each request SageMaker makes is judged by the pipeline (:class:`Judge`) with the service or the
role session as principal, and recorded in ``reg.calls`` like any call. Where the checks happen:

* CreateModel: trust policy, then the model data of every container (a package's containers for a
  ``ModelPackageName``); a failure is a ValidationException.
* CreateEndpoint / UpdateEndpoint: trust policy and each container's image; a failure leaves the
  endpoint ``Failed`` with SageMaker's FailureReason.
* CreateTransformJob / CreateInferenceRecommendationsJob: trust policy (ValidationException),
  then model data and images (the job fails).

In warn mode a denied request does not stop SageMaker: it goes on (every request is recorded, so
the role's required policy is whole) and warns the first failure. Guesses are in ``_guesses.py``.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from pytest_modelreg.arn import build
from pytest_modelreg.simulation import _guesses
from pytest_modelreg.simulation.base import CallContext, ServiceError
from pytest_modelreg.simulation.moto import deployment

if TYPE_CHECKING:
    from pytest_modelreg.principals import Identity
    from pytest_modelreg.records import Authorization
    from pytest_modelreg.simulation.moto import MotoBackend
    from pytest_modelreg.simulation.registry import ModelRegistry

__all__ = ["SAGEMAKER", "ExecutionRoles", "Judge"]

SAGEMAKER = "sagemaker.amazonaws.com"

# Observed: ValidationException of CreateModel for a role that does not exist or does not trust
# SageMaker (bentoml/BentoML#892).
INVALID_ROLE = (
    'The execution role ARN "{role}" is invalid. Please ensure that the role exists and that its '
    'trust relationship policy allows the action "sts:AssumeRole" for the service principal '
    '"sagemaker.amazonaws.com".'
)
# Observed: ValidationException of CreateModel for model data the role cannot read
# (philschmid/llm-sagemaker-sample#2).
MODEL_DATA_ACCESS = (
    'Could not access model data at {url}. Please ensure that the role "{role}" exists and that '
    'its trust relationship policy allows the action "sts:AssumeRole" for the service principal '
    '"sagemaker.amazonaws.com". Also ensure that the role has "s3:GetObject" permissions and '
    "that the object is located in {region}. If your Model uses multiple models or uncompressed "
    'models, please ensure that the role has "s3:ListBucket" permission.'
)
# Observed FailureReasons of a Failed endpoint: aws/sagemaker-python-sdk#2002 (and
# huggingface/notebooks#385); aws/amazon-sagemaker-examples#275 (and aws/sagemaker-python-sdk#2001).
BATCH_GET_IMAGE_DENIED = (
    "The role '{role}' does not have BatchGetImage permission for the image: '{image}'."
)
VARIANT_IMAGES = (
    "Please make sure all images included in the model for the production variant {variant} "
    "exist, and that the execution role used to create the model has permissions to access them."
)

# <account>.dkr.ecr.<region>.amazonaws.com[.cn]/<repository>[:<tag>][@<digest>] ("Pushing an
# image" and "Pulling an image", Amazon ECR User Guide).
_ECR_IMAGE = re.compile(
    r"^(?P<account>\d{12})\.dkr\.ecr(?:-fips)?\.(?P<region>[a-z0-9-]+)\.amazonaws\.com(?:\.cn)?/"
    r"(?P<repository>[^:@]+)(?::(?P<tag>[^@]+))?(?:@(?P<digest>sha256:[0-9a-f]+))?$"
)
# A layer digest for the GetDownloadUrlForLayer request: the role is judged on the repository.
_LAYER = "sha256:" + "0" * 64


class Judge(Protocol):
    """What the pipeline does for SageMaker's own requests (pipeline.py)."""

    @property
    def enforce(self) -> str:
        """``strict``, ``warn`` or ``off``."""

    def on_behalf(
        self,
        identity: Identity,
        service: str,
        operation: str,
        params: Mapping[str, Any],
        region: str,
        context: Mapping[str, str],
        via: str,
    ) -> tuple[Authorization, ...]:
        """Authorize one request the service ``via`` makes as ``identity`` and record it in
        ``reg.calls``."""

    def warn(self, message: str) -> None:
        """Warn (``enforce="warn"``) that production would refuse what the test goes on with."""


class _Failed(Exception):
    """A role check failed: ``message`` is SageMaker's text for it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _denied(authorizations: Sequence[Authorization]) -> bool:
    return any(not a.allowed for a in authorizations)


def _s3_url(url: str) -> tuple[str, str] | None:
    if not url.startswith("s3://"):
        return None
    bucket, _, key = url[len("s3://") :].partition("/")
    return (bucket, key) if bucket else None


class ExecutionRoles:
    """The role checks, as one of the simulation's in-process services, asked after the others
    (the registry's own checks of a CreateModel come first): it serves UpdateEndpoint (which moto
    lacks) and checks CreateModel, CreateEndpoint and CreateTransformJob before moto serves them.
    :attr:`jobs` is the service asked ahead of the registry, which creates Inference Recommender
    jobs. ``judge`` is set by the pipeline; without one nothing is checked."""

    def __init__(self, registry: ModelRegistry, moto_backend: MotoBackend) -> None:
        self.registry = registry
        self.moto = moto_backend
        self.judge: Judge | None = None
        # Failures decided when an endpoint or a transform job was created, applied to moto's
        # record of it before the next SageMaker call moto serves (it exists only after moto
        # served the Create call): (kind, account, region, name) -> FailureReason.
        self._pending: dict[tuple[str, str, str, str], str] = {}
        # In warn mode, the first denial's failure of the check under way (see _require).
        self._warned: _Failed | None = None
        self.jobs = _InferenceJobs(self)

    @property
    def _active(self) -> bool:
        return self.judge is not None and self.judge.enforce != "off"

    # -- InProcessService --------------------------------------------------------------------
    def claims(self, service: str, operation: str, params: Mapping[str, Any]) -> bool:
        return service == "sagemaker" and operation == "UpdateEndpoint"

    def handle(
        self, service: str, operation: str, params: Mapping[str, Any], ctx: CallContext
    ) -> dict[str, Any]:
        return self._update_endpoint(params, ctx)

    def before_moto(
        self, service: str, operation: str, params: Mapping[str, Any], ctx: CallContext
    ) -> None:
        if service != "sagemaker":
            return
        self._settle()
        if not self._active or operation not in _CHECKED:
            return
        self.moto.ensure_started()
        _CHECKED[operation](self, params, ctx)

    # -- CreateModel ---------------------------------------------------------------------------
    def _create_model(self, params: Mapping[str, Any], ctx: CallContext) -> None:
        role = params.get("ExecutionRoleArn")
        if not isinstance(role, str) or not role:
            return
        name = str(params.get("ModelName", "")).lower()
        model_arn = _arn(ctx, f"model/{name}")
        try:
            with self._checking():
                session = self._assume(role, ctx, model_arn, INVALID_ROLE)
                for container in self._containers(_model_containers(params), ctx):
                    self._model_data(session, role, container, ctx)
        except _Failed as failed:
            self._refuse("CreateModel", failed.message)

    # -- CreateEndpoint / UpdateEndpoint -----------------------------------------------------
    def _create_endpoint(self, params: Mapping[str, Any], ctx: CallContext) -> None:
        name = str(params.get("EndpointName", ""))
        variants = deployment.endpoint_config_variants(
            ctx.account_id, ctx.region, str(params.get("EndpointConfigName", ""))
        )
        if variants is None:
            return  # moto answers for the missing config
        reason = self._endpoint_failure(name, variants, ctx)
        if reason is not None:
            self._fail("CreateEndpoint", ("endpoint", ctx.account_id, ctx.region, name), reason)

    def _update_endpoint(self, params: Mapping[str, Any], ctx: CallContext) -> dict[str, Any]:
        from pytest_modelreg.simulation.registry.validation import validate_input

        validate_input("UpdateEndpoint", params)  # the constraints of botocore's model
        self.moto.ensure_started()
        self._settle()
        name, config = str(params["EndpointName"]), str(params["EndpointConfigName"])
        arn = _arn(ctx, f"endpoint/{name}")
        state = deployment.endpoint_state(ctx.account_id, ctx.region, name)
        if state is None:
            # moto's wording for a missing endpoint (DescribeEndpoint).
            raise ServiceError("ValidationException", f"Could not find endpoint '{arn}'.")
        if state[1] == "Failed":
            # DescribeEndpoint's EndpointStatus: "DeleteEndpoint is the only operation that can
            # be performed on a failed endpoint."
            raise ServiceError(
                "ValidationException", _guesses.UPDATE_FAILED_ENDPOINT.format(arn=arn)
            )
        variants = deployment.endpoint_config_variants(ctx.account_id, ctx.region, config)
        if variants is None:
            config_arn = _arn(ctx, f"endpoint-config/{config}")
            raise ServiceError(
                "ValidationException", f"Could not find endpoint configuration '{config_arn}'."
            )
        deployment.update_endpoint(ctx.account_id, ctx.region, name, config)
        reason = self._endpoint_failure(name, variants, ctx) if self._active else None
        if reason is not None:
            self._fail("UpdateEndpoint", ("endpoint", ctx.account_id, ctx.region, name), reason)
            self._settle()
        return {"EndpointArn": arn}

    def _endpoint_failure(
        self, name: str, variants: Sequence[tuple[str, str]], ctx: CallContext
    ) -> str | None:
        """The FailureReason of an endpoint running ``variants``, or None if it comes up."""
        endpoint_arn = _arn(ctx, f"endpoint/{name.lower()}")
        try:
            with self._checking():
                for variant, model_name in variants:
                    model = deployment.model(ctx.account_id, ctx.region, model_name)
                    if model is None or not model.execution_role_arn:
                        continue
                    role = model.execution_role_arn
                    session = self._assume(role, ctx, endpoint_arn, _guesses.CANNOT_ASSUME)
                    for container in self._containers(model.containers, ctx):
                        self._image(session, role, container, ctx, variant)
        except _Failed as failed:
            return failed.message
        return None

    # -- CreateTransformJob ----------------------------------------------------------------------
    def _transform_job(self, params: Mapping[str, Any], ctx: CallContext) -> None:
        name = str(params.get("TransformJobName", ""))
        model = deployment.model(ctx.account_id, ctx.region, str(params.get("ModelName", "")))
        if model is None or not model.execution_role_arn:
            return  # moto answers for a missing model
        job_arn = _arn(ctx, f"transform-job/{name.lower()}")
        reason = self._job_failure(
            "CreateTransformJob", model.execution_role_arn, model.containers, ctx, job_arn
        )
        if reason is not None:
            self._fail(
                "CreateTransformJob", ("transform-job", ctx.account_id, ctx.region, name), reason
            )

    # -- CreateInferenceRecommendationsJob ---------------------------------------------------
    def _inference_job(self, params: Mapping[str, Any], ctx: CallContext) -> dict[str, Any]:
        reason = None
        if self._active:
            self.moto.ensure_started()
            name = str(params.get("JobName", ""))
            job_arn = _arn(ctx, f"inference-recommendations-job/{name.lower()}")
            containers = self._inference_containers(params, ctx)
            role = str(params.get("RoleArn", ""))
            operation = "CreateInferenceRecommendationsJob"
            reason = self._job_failure(operation, role, containers, ctx, job_arn)
        answer = self.registry.handle("CreateInferenceRecommendationsJob", params, ctx)
        if reason is not None:
            if self.judge is not None and self.judge.enforce == "strict":
                self.registry.fail_inference_job(ctx, str(params["JobName"]), reason)
            else:
                self._warn("CreateInferenceRecommendationsJob", reason)
        return answer

    def _inference_containers(
        self, params: Mapping[str, Any], ctx: CallContext
    ) -> list[Mapping[str, Any]]:
        config = params.get("InputConfig") or {}
        package = config.get("ModelPackageVersionArn")
        if isinstance(package, str):
            return [{"ModelPackageName": package}]
        model = deployment.model(ctx.account_id, ctx.region, str(config.get("ModelName", "")))
        return [] if model is None else model.containers

    def _job_failure(
        self,
        operation: str,
        role: str,
        containers: Sequence[Mapping[str, Any]],
        ctx: CallContext,
        job_arn: str,
    ) -> str | None:
        """A job's role checks: a role that cannot be assumed is refused now (the observed
        CreateTransformJob ValidationException); the FailureReason of the model data or an
        image the role cannot read, or None."""
        if not role:
            return None
        try:
            with self._checking():
                session = self._assume(role, ctx, job_arn, _guesses.CANNOT_ASSUME)
        except _Failed as failed:
            self._refuse(operation, failed.message)
            return None
        try:
            with self._checking():
                for container in self._containers(containers, ctx):
                    self._model_data(session, role, container, ctx)
                    self._image(session, role, container, ctx, None)
        except _Failed as failed:
            return failed.message
        return None

    # -- the requests SageMaker makes --------------------------------------------------------
    def _assume(self, role: str, ctx: CallContext, source_arn: str, message: str) -> Identity:
        """``sts:AssumeRole`` by ``sagemaker.amazonaws.com``, judged against the role's trust
        policy: the role's session, or _Failed with ``message``."""
        from pytest_modelreg.principals import role_session_identity, service_identity

        assert self.judge is not None
        context = (
            {"aws:SourceAccount": ctx.account_id, "aws:SourceArn": source_arn}
            if _guesses.SENDS_SOURCE_CONTEXT
            else {}
        )
        session_name = _guesses.EXECUTION_ROLE_SESSION
        params = {"RoleArn": role, "RoleSessionName": session_name}
        decided = self.judge.on_behalf(
            service_identity(SAGEMAKER), "sts", "AssumeRole", params, ctx.region, context, SAGEMAKER
        )
        failed = _Failed(message.format(role=role))
        self._require(not _denied(decided), failed)
        session = role_session_identity(role, session_name)
        if session is None:  # no such role: nothing to go on with, even in warn mode
            raise failed
        return session

    def _containers(
        self, containers: Sequence[Mapping[str, Any]], ctx: CallContext
    ) -> list[Mapping[str, Any]]:
        """The containers SageMaker runs: a ``ModelPackageName`` container stands for its
        package's containers (a package in another account included)."""
        out: list[Mapping[str, Any]] = []
        for container in containers:
            ref = container.get("ModelPackageName")
            if not isinstance(ref, str) or not ref:
                out.append(container)
                continue
            spec = container.get("InferenceSpecificationName")
            found = self.registry.package_containers(
                ref, ctx, spec if isinstance(spec, str) else None
            )
            out.extend(found or ())
        return out

    def _act(
        self,
        session: Identity,
        service: str,
        operation: str,
        params: Mapping[str, Any],
        region: str,
        context: Mapping[str, str] | None = None,
    ) -> bool:
        """One request of the role's session; True if it is allowed."""
        assert self.judge is not None
        return not _denied(
            self.judge.on_behalf(
                session, service, operation, params, region, context or {}, SAGEMAKER
            )
        )

    def _model_data(
        self, session: Identity, role: str, container: Mapping[str, Any], ctx: CallContext
    ) -> None:
        """Read every model data location of the container as the role."""
        for url, prefix, multi in _data_locations(container):
            self._read(session, role, url, prefix, multi, ctx)

    def _read(
        self,
        session: Identity,
        role: str,
        url: str,
        prefix: bool,
        multi: bool,
        ctx: CallContext,
    ) -> None:
        """Read one model data location (an object, or every object under a prefix; a
        multi-model prefix is only listed): _Failed with SageMaker's text when the role cannot,
        or the data is missing or in another region."""
        located = _s3_url(url)
        if located is None:
            return  # botocore's pattern and moto refuse anything but s3:// URLs
        bucket, key = located
        access = _Failed(MODEL_DATA_ACCESS.format(url=url, role=role, region=ctx.region))
        missing = _Failed(_guesses.MODEL_DATA_MISSING.format(url=url))
        region = deployment.bucket_region(bucket)
        if region is None:
            raise missing
        if region != ctx.region:
            raise access
        listing = {"Bucket": bucket, "Prefix": key}
        if prefix:
            self._require(self._act(session, "s3", "ListObjectsV2", listing, ctx.region), access)
            objects = [] if multi else deployment.s3_objects(bucket, key) or []
            if not multi and not objects:
                raise missing
        else:
            read = {"Bucket": bucket, "Key": key}
            self._require(self._act(session, "s3", "GetObject", read, ctx.region), access)
            found = deployment.s3_object(bucket, key)
            if found is None:
                # Without s3:ListBucket S3 answers a missing key with 403, not 404 (GetObject's
                # page in botocore's s3 model): SageMaker cannot tell it is missing.
                allowed = self._act(session, "s3", "ListObjectsV2", listing, ctx.region)
                raise missing if allowed else access
            objects = [found]
        for obj in objects:
            if prefix:
                read = {"Bucket": bucket, "Key": obj.key}
                self._require(self._act(session, "s3", "GetObject", read, ctx.region), access)
            if obj.kms_key_id is not None:
                self._require(self._decrypt(session, bucket, obj, ctx), access)

    def _decrypt(
        self, session: Identity, bucket: str, obj: deployment.S3Object, ctx: CallContext
    ) -> bool:
        """kms:Decrypt of an SSE-KMS object's data key, which S3 asks for the role ("Using
        server-side encryption with AWS KMS keys", Amazon S3 User Guide: kms:ViaService and the
        object ARN as encryption context)."""
        assert obj.kms_key_id is not None
        params = {
            "CiphertextBlob": b"",
            "KeyId": obj.kms_key_id,
            "EncryptionContext": {"aws:s3:arn": f"arn:{ctx.partition}:s3:::{bucket}/{obj.key}"},
        }
        context = {
            "kms:ViaService": f"s3.{obj.region}.amazonaws.com",
            "kms:CallerAccount": session.account_id,
        }
        return self._act(session, "kms", "Decrypt", params, obj.region, context)

    def _image(
        self,
        session: Identity,
        role: str,
        container: Mapping[str, Any],
        ctx: CallContext,
        variant: str | None,
    ) -> None:
        """Pull the container's image as the role: GetAuthorizationToken, BatchGetImage (the
        manifest), GetDownloadUrlForLayer (the layers), as a docker pull from ECR does."""
        image = container.get("Image")
        match = _ECR_IMAGE.match(image) if isinstance(image, str) else None
        if match is None or not isinstance(image, str):
            return
        other = (
            _guesses.JOB_IMAGE_FAILURE.format(image=image, role=role)
            if variant is None
            else VARIANT_IMAGES.format(variant=variant)
        )
        account, region, repository = match["account"], match["region"], match["repository"]
        reference = match["digest"] or match["tag"] or "latest"
        if region != ctx.region:
            raise _Failed(other)
        token = self._act(session, "ecr", "GetAuthorizationToken", {}, region)
        self._require(token, _Failed(other))
        image_id = {"imageDigest" if reference.startswith("sha256:") else "imageTag": reference}
        target = {"registryId": account, "repositoryName": repository}
        manifest = {**target, "imageIds": [image_id]}
        self._require(
            self._act(session, "ecr", "BatchGetImage", manifest, region),
            _Failed(BATCH_GET_IMAGE_DENIED.format(role=role, image=image)),
        )
        if deployment.ecr_image(account, region, repository, reference) is False:
            raise _Failed(other)
        layer = {**target, "layerDigest": _LAYER}
        self._require(
            self._act(session, "ecr", "GetDownloadUrlForLayer", layer, region), _Failed(other)
        )

    # -- outcomes ------------------------------------------------------------------------------
    def _require(self, allowed: bool, failure: _Failed) -> None:
        """A denied request fails the check. In warn mode SageMaker goes on as if it had been
        allowed, so that every request production needs is made and recorded (the role's
        ``required_policy()`` is then whole); the first failure is warned at the end
        (:meth:`_checking`)."""
        if allowed:
            return
        assert self.judge is not None
        if self.judge.enforce != "warn":
            raise failure
        if self._warned is None:
            self._warned = failure

    @contextlib.contextmanager
    def _checking(self) -> Iterator[None]:
        """One check: the first failure warn mode went past is raised at its end."""
        self._warned = None
        try:
            yield
        finally:
            warned, self._warned = self._warned, None
        if warned is not None:
            raise warned

    def _refuse(self, operation: str, message: str) -> None:
        """A synchronous failure: ValidationException, or a warning outside strict mode."""
        assert self.judge is not None
        if self.judge.enforce == "strict":
            raise ServiceError("ValidationException", message)
        self._warn(operation, message)

    def _fail(self, operation: str, key: tuple[str, str, str, str], reason: str) -> None:
        """An asynchronous failure: the resource ends Failed, or a warning outside strict mode."""
        assert self.judge is not None
        if self.judge.enforce == "strict":
            self._pending[key] = reason
        else:
            self._warn(operation, reason)

    def _warn(self, operation: str, message: str) -> None:
        assert self.judge is not None
        self.judge.warn(f"sagemaker.{operation}: production would fail: {message}")

    def _settle(self) -> None:
        """Apply the failures decided at creation to moto's endpoints and transform jobs."""
        if not self._pending or not self.moto.started:
            return
        pending, self._pending = self._pending, {}
        for (kind, account, region, name), reason in pending.items():
            deployment.fail(kind, account, region, name, reason)


class _InferenceJobs:
    """CreateInferenceRecommendationsJob, claimed ahead of the registry: the role checks, then
    the registry creates the job."""

    def __init__(self, roles: ExecutionRoles) -> None:
        self.roles = roles

    def claims(self, service: str, operation: str, params: Mapping[str, Any]) -> bool:
        return service == "sagemaker" and operation == "CreateInferenceRecommendationsJob"

    def handle(
        self, service: str, operation: str, params: Mapping[str, Any], ctx: CallContext
    ) -> dict[str, Any]:
        return self.roles._inference_job(params, ctx)

    def before_moto(
        self, service: str, operation: str, params: Mapping[str, Any], ctx: CallContext
    ) -> None:
        return None


def _arn(ctx: CallContext, resource: str) -> str:
    """A SageMaker resource's ARN in the caller's partition, region and account."""
    return build(ctx.partition, "sagemaker", ctx.region, ctx.account_id, resource)


def _data_locations(container: Mapping[str, Any]) -> list[tuple[str, bool, bool]]:
    """(S3 URL, is a prefix, is a multi-model prefix) of each model data location of a container:
    ``ModelDataUrl`` (a prefix when it ends in "/" or the container is ``MultiModel``), else
    ``ModelDataSource``, then each of ``AdditionalModelDataSources`` (botocore's sagemaker model,
    ``ContainerDefinition``)."""
    multi = container.get("Mode") == "MultiModel"
    found: list[tuple[str, bool, bool]] = []
    url = container.get("ModelDataUrl")
    sources = [container.get("ModelDataSource") or {}]
    if isinstance(url, str) and url:
        found.append((url, multi or url.endswith("/"), multi))
        sources = []
    sources += list(container.get("AdditionalModelDataSources") or [])
    for source in sources:
        s3 = (source or {}).get("S3DataSource") or {}
        if isinstance(s3.get("S3Uri"), str):
            found.append((str(s3["S3Uri"]), s3.get("S3DataType") == "S3Prefix", False))
    return found


def _model_containers(params: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    containers = list(params.get("Containers") or [])
    primary = params.get("PrimaryContainer")
    if isinstance(primary, Mapping):
        containers.insert(0, primary)
    return [c for c in containers if isinstance(c, Mapping)]


_CHECKED = {
    "CreateModel": ExecutionRoles._create_model,
    "CreateEndpoint": ExecutionRoles._create_endpoint,
    "CreateTransformJob": ExecutionRoles._transform_job,
}
