"""CreateEndpoint / UpdateEndpoint: SageMaker pulls each container's image as the model's execution
role; the endpoint ends ``Failed`` with SageMaker's FailureReason when it cannot, else
``InService``. Transform and Inference Recommender jobs make the same checks."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError, WaiterError

from pytest_modelreg import ModelRegistryHandle, mock_modelreg
from pytest_modelreg.simulation.execution_role import BATCH_GET_IMAGE_DENIED, VARIANT_IMAGES

from ..conftest import ALLOW_ALL
from ..sdk_common import IMAGE_MANIFEST
from .conftest import BUCKET, KEY, World, allow, arrange, variant

pytestmark = pytest.mark.modelreg(policy=ALLOW_ALL)

FRAMEWORK_IMAGE = "763104351884.dkr.ecr.us-east-1.amazonaws.com/tensorflow-inference:2.3.0-cpu"


def _read_only(world: World) -> dict[str, Any]:
    return allow(("s3:GetObject", f"arn:aws:s3:::{BUCKET}/{KEY}"))


def test_an_endpoint_whose_role_can_pull_the_image_is_in_service(world: World) -> None:
    world.grant(world.smallest())
    world.create_model()
    before = len(world.reg.calls)
    endpoint = world.deploy()
    assert endpoint["EndpointStatus"] == "InService"
    assert "FailureReason" not in endpoint
    pulls = [(c.operation, c.decision) for c in world.reg.calls[before:] if c.via]
    assert pulls == [
        ("AssumeRole", "allowed"),
        ("GetAuthorizationToken", "allowed"),
        ("BatchGetImage", "allowed"),
        ("GetDownloadUrlForLayer", "allowed"),
    ]


def test_without_batch_get_image_the_endpoint_fails_naming_the_role_and_image(
    world: World,
) -> None:
    world.grant(_read_only(world))
    world.grant(allow(("ecr:GetAuthorizationToken", "*")), name="token")
    world.create_model()
    endpoint = world.deploy()
    assert endpoint["EndpointStatus"] == "Failed"
    assert endpoint["FailureReason"] == BATCH_GET_IMAGE_DENIED.format(
        role=world.role_arn, image=world.image
    )
    # The waiter boto3 users deploy with fails at once on Failed.
    with pytest.raises(WaiterError, match="Failed"):
        world.reg.client("sagemaker").get_waiter("endpoint_in_service").wait(
            EndpointName="churn-prod"
        )


def test_an_image_missing_from_a_simulated_repository_fails_the_variant(world: World) -> None:
    world.grant(world.smallest())
    missing = world.image.replace(":1.0", ":2.0")
    world.create_model(Image=missing, ModelDataUrl=world.model_data)
    endpoint = world.deploy()
    assert endpoint["EndpointStatus"] == "Failed"
    assert endpoint["FailureReason"] == VARIANT_IMAGES.format(variant="AllTraffic")


def test_no_get_download_url_for_layer_fails_the_variant(world: World) -> None:
    world.grant(_read_only(world))
    world.grant(
        allow(("ecr:BatchGetImage", world.repository_arn), ("ecr:GetAuthorizationToken", "*")),
        name="manifest-only",
    )
    world.create_model()
    endpoint = world.deploy()
    assert endpoint["FailureReason"] == VARIANT_IMAGES.format(variant="AllTraffic")
    assert world.reg.calls[-2].operation == "GetDownloadUrlForLayer"


def test_a_framework_image_needs_permissions_beyond_the_own_account(world: World) -> None:
    # aws/sagemaker-python-sdk#2002: BatchGetImage scoped to the own account's repositories does
    # not cover AWS's framework image account 763104351884, whose images exist all the same.
    world.grant(_read_only(world))
    own = "arn:aws:ecr:us-east-1:123456789012:repository/*"
    world.grant(
        allow(
            (["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"], own),
            ("ecr:GetAuthorizationToken", "*"),
        ),
        name="pull",
    )
    world.create_model(Image=FRAMEWORK_IMAGE, ModelDataUrl=world.model_data)
    endpoint = world.deploy()
    assert endpoint["FailureReason"] == BATCH_GET_IMAGE_DENIED.format(
        role=world.role_arn, image=FRAMEWORK_IMAGE
    )
    world.grant(
        allow(
            (["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"], "*"),
            ("ecr:GetAuthorizationToken", "*"),
        ),
        name="pull",
    )
    assert world.deploy(name="again")["EndpointStatus"] == "InService"


def test_a_cross_account_image_needs_the_repository_policy(modelreg: ModelRegistryHandle) -> None:
    world = arrange(modelreg)
    world.grant(_read_only(world))
    world.grant(
        allow(
            (["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"], "*"),
            ("ecr:GetAuthorizationToken", "*"),
        ),
        name="pull",
    )
    owner = modelreg.principal("ImageOwner", ALLOW_ALL, account_id="111122223333").client("ecr")
    repository = owner.create_repository(repositoryName="shared")["repository"]
    owner.put_image(repositoryName="shared", imageManifest=IMAGE_MANIFEST, imageTag="1")
    image = f"{repository['repositoryUri']}:1"
    world.create_model(Image=image, ModelDataUrl=world.model_data)
    endpoint = world.deploy()
    assert endpoint["FailureReason"] == BATCH_GET_IMAGE_DENIED.format(
        role=world.role_arn, image=image
    )
    grant = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": world.role_arn},
                "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
            }
        ],
    }
    owner.set_repository_policy(repositoryName="shared", policyText=json.dumps(grant))
    assert world.deploy(name="again")["EndpointStatus"] == "InService"


def test_a_role_that_no_longer_trusts_sagemaker_fails_the_endpoint(world: World) -> None:
    world.grant(world.smallest())
    world.create_model()
    world.trust_only("ec2.amazonaws.com")
    endpoint = world.deploy()
    assert endpoint["EndpointStatus"] == "Failed"
    assert endpoint["FailureReason"].startswith(f"Could not assume role {world.role_arn}.")


def test_update_endpoint_to_a_model_whose_role_cannot_pull_fails(world: World) -> None:
    world.grant(world.smallest())
    world.create_model()
    assert world.deploy()["EndpointStatus"] == "InService"
    sm = world.reg.client("sagemaker")
    missing = world.image.replace(":1.0", ":9.9")
    world.create_model("churn-v2", Image=missing, ModelDataUrl=world.model_data)
    sm.create_endpoint_config(EndpointConfigName="v2", ProductionVariants=[variant("churn-v2")])
    sm.update_endpoint(EndpointName="churn-prod", EndpointConfigName="v2")
    endpoint = sm.describe_endpoint(EndpointName="churn-prod")
    assert (endpoint["EndpointStatus"], endpoint["EndpointConfigName"]) == ("Failed", "v2")
    assert endpoint["FailureReason"] == VARIANT_IMAGES.format(variant="AllTraffic")
    # DescribeEndpoint (botocore's model): "DeleteEndpoint is the only operation that can be
    # performed on a failed endpoint."
    with pytest.raises(ClientError, match="DeleteEndpoint is the only operation"):
        sm.update_endpoint(EndpointName="churn-prod", EndpointConfigName="churn-prod")
    sm.delete_endpoint(EndpointName="churn-prod")


def test_update_endpoint_to_a_pullable_model_is_in_service(world: World) -> None:
    world.grant(world.smallest())
    world.create_model()
    world.deploy()
    sm = world.reg.client("sagemaker")
    world.create_model("churn-v2")
    sm.create_endpoint_config(EndpointConfigName="v2", ProductionVariants=[variant("churn-v2")])
    arn = sm.update_endpoint(EndpointName="churn-prod", EndpointConfigName="v2")["EndpointArn"]
    assert arn.endswith(":endpoint/churn-prod")
    endpoint = sm.describe_endpoint(EndpointName="churn-prod")
    assert (endpoint["EndpointStatus"], endpoint["EndpointConfigName"]) == ("InService", "v2")
    with pytest.raises(ClientError, match="Could not find endpoint configuration"):
        sm.update_endpoint(EndpointName="churn-prod", EndpointConfigName="nope")
    with pytest.raises(ClientError, match="Could not find endpoint '"):
        sm.update_endpoint(EndpointName="nope", EndpointConfigName="v2")
    # The model's pattern for EndpointName (botocore's sagemaker model), checked server-side.
    with pytest.raises(ClientError, match="ValidationException"):
        sm.update_endpoint(EndpointName="not_valid!", EndpointConfigName="v2")


def test_a_model_from_a_package_pulls_the_packages_image(world: World) -> None:
    world.grant(world.smallest())
    sm = world.reg.client("sagemaker")
    sm.create_model_package_group(ModelPackageGroupName="churn")
    missing = world.image.replace(":1.0", ":3.0")
    package = sm.create_model_package(
        ModelPackageGroupName="churn",
        ModelApprovalStatus="Approved",
        InferenceSpecification={
            "Containers": [{"Image": missing, "ModelDataUrl": world.model_data}],
            "SupportedContentTypes": ["text/csv"],
            "SupportedResponseMIMETypes": ["text/csv"],
        },
    )["ModelPackageArn"]
    sm.create_model(
        ModelName="churn",
        ExecutionRoleArn=world.role_arn,
        Containers=[{"ModelPackageName": package}],
    )
    reads = [c.params.get("Key") for c in world.reg.calls[-1:]]
    assert reads == [KEY]  # the package's model data, read as the role
    assert world.deploy()["FailureReason"] == VARIANT_IMAGES.format(variant="AllTraffic")


def test_warn_mode_warns_and_the_endpoint_is_in_service() -> None:
    with mock_modelreg(policy=ALLOW_ALL, enforce="warn") as reg:
        world = arrange(reg)
        world.grant(_read_only(world))
        world.create_model()
        with pytest.warns(Warning, match="production would fail: Please make sure all images"):
            assert world.deploy()["EndpointStatus"] == "InService"


def test_off_mode_pulls_nothing() -> None:
    with mock_modelreg(policy=ALLOW_ALL, enforce="off") as reg:
        world = arrange(reg)
        world.create_model()
        assert world.deploy()["EndpointStatus"] == "InService"
        assert [c for c in reg.calls if c.via] == []


# -- jobs -------------------------------------------------------------------------------------


def _transform(
    reg: ModelRegistryHandle, model: str = "churn", name: str = "score"
) -> dict[str, Any]:
    """A transform job of ``model``; DescribeTransformJob's answer."""
    sm = reg.client("sagemaker")
    source = {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": f"s3://{BUCKET}/in"}}
    sm.create_transform_job(
        TransformJobName=name,
        ModelName=model,
        TransformInput={"DataSource": source},
        TransformOutput={"S3OutputPath": f"s3://{BUCKET}/out"},
        TransformResources={"InstanceType": "ml.m5.large", "InstanceCount": 1},
    )
    answer: dict[str, Any] = sm.describe_transform_job(TransformJobName=name)
    return answer


def test_a_transform_job_whose_role_cannot_be_assumed_is_refused(world: World) -> None:
    world.grant(world.smallest())
    world.create_model()
    world.trust_only("ec2.amazonaws.com")
    with pytest.raises(ClientError) as raised:
        _transform(world.reg)
    # awslabs/predictive-maintenance-using-machine-learning#3
    assert raised.value.response["Error"]["Message"] == (
        f"Could not assume role {world.role_arn}. Please ensure that the role exists and allows "
        "principal 'sagemaker.amazonaws.com' to assume the role."
    )


def test_a_transform_job_whose_role_cannot_pull_fails(world: World) -> None:
    world.grant(_read_only(world))
    world.grant(allow(("ecr:GetAuthorizationToken", "*")), name="token")
    world.create_model()
    job = _transform(world.reg)
    assert job["TransformJobStatus"] == "Failed"
    assert job["FailureReason"] == BATCH_GET_IMAGE_DENIED.format(
        role=world.role_arn, image=world.image
    )
    world.grant(world.smallest())  # a role that can pull: the job completes
    world.create_model("churn-ok")
    assert _transform(world.reg, "churn-ok", "score-ok")["TransformJobStatus"] == "Completed"


def _recommend(world: World, role: str) -> None:
    sm = world.reg.client("sagemaker")
    sm.create_model_package_group(ModelPackageGroupName="churn")
    package = sm.create_model_package(
        ModelPackageGroupName="churn",
        ModelApprovalStatus="Approved",
        Domain="MACHINE_LEARNING",
        Task="CLASSIFICATION",
        SamplePayloadUrl=f"s3://{BUCKET}/{KEY}",
        InferenceSpecification={
            "Containers": [
                {
                    "Image": world.image,
                    "ModelDataUrl": world.model_data,
                    "Framework": "XGBOOST",
                    "FrameworkVersion": "1.5",
                }
            ],
            "SupportedContentTypes": ["text/csv"],
            "SupportedResponseMIMETypes": ["text/csv"],
        },
    )["ModelPackageArn"]
    sm.create_inference_recommendations_job(
        JobName="rec",
        JobType="Default",
        RoleArn=role,
        InputConfig={"ModelPackageVersionArn": package},
    )


def test_an_inference_recommendations_job_whose_role_cannot_pull_fails(
    modelreg: ModelRegistryHandle, world: World
) -> None:
    world.grant(_read_only(world))
    _recommend(world, world.role_arn)
    modelreg._pipeline.simulation.registry.advance_inference_jobs(2)  # no public driver yet
    job = modelreg.client("sagemaker").describe_inference_recommendations_job(JobName="rec")
    assert job["Status"] == "FAILED"
    # No ecr:GetAuthorizationToken: the pull fails before the manifest (a guessed text).
    assert job["FailureReason"] == (
        f"Please make sure the image '{world.image}' exists, and that the execution role "
        f"'{world.role_arn}' has permissions to access it."
    )


def test_an_inference_recommendations_job_with_an_untrusted_role_is_refused(
    world: World,
) -> None:
    missing = "arn:aws:iam::123456789012:role/Nobody"
    with pytest.raises(ClientError, match=f"Could not assume role {missing}"):
        _recommend(world, missing)


def test_an_inference_recommendations_job_with_a_capable_role_completes(
    modelreg: ModelRegistryHandle, world: World
) -> None:
    world.grant(world.smallest())
    _recommend(world, world.role_arn)
    modelreg._pipeline.simulation.registry.advance_inference_jobs(2)  # no public driver yet
    job = modelreg.client("sagemaker").describe_inference_recommendations_job(JobName="rec")
    assert job["Status"] == "COMPLETED"
