"""Signed raw requests to every protocol, requests that cannot be judged, and the guard's reach.

A raw request signed with a key (SigV4 ``Authorization`` header) is judged as the principal that key
belongs to, exactly as the botocore call it stands for. Before this, a raw ``X-Amz-Target:
SageMaker.CreateModelPackageGroup`` POST created a group in moto's backend, unjudged, once moto had
started, and went to the real endpoint before.
"""

from __future__ import annotations

import json
import socket
import urllib.parse
from typing import Any
from xml.etree import ElementTree as ET

import pytest
import requests
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from pytest_modelreg import ModelRegistryHandle
from pytest_modelreg.raw_http import RequestRefusedError, transport
from tests.escapes.conftest import LIBRARIES, send
from tests.network_guard import NetworkGuard

SAGEMAKER = "https://api.sagemaker.us-east-1.amazonaws.com/"


def signed(
    credentials: Credentials,
    signing_name: str,
    method: str,
    url: str,
    headers: dict[str, str],
    body: bytes = b"",
) -> tuple[dict[str, str], bytes]:
    """The headers botocore's SigV4 signer adds, as code signing its own requests would."""
    request = AWSRequest(method, url, data=body, headers=headers)
    SigV4Auth(credentials, signing_name, "us-east-1").add_auth(request)
    return dict(request.headers.items()), body


def create_group(credentials: Credentials, library: str, name: str) -> Any:
    headers, body = signed(
        credentials,
        "sagemaker",
        "POST",
        SAGEMAKER,
        {
            "X-Amz-Target": "SageMaker.CreateModelPackageGroup",
            "Content-Type": "application/x-amz-json-1.1",
        },
        json.dumps({"ModelPackageGroupName": name}).encode(),
    )
    return send(library, "POST", SAGEMAKER, headers, body)


def groups(modelreg: ModelRegistryHandle) -> list[str]:
    listed = modelreg.admin_client("sagemaker").list_model_package_groups()
    return [g["ModelPackageGroupName"] for g in listed["ModelPackageGroupSummaryList"]]


def test_a_signed_sagemaker_post_is_judged_as_its_signer(
    modelreg: ModelRegistryHandle, library: str
) -> None:
    """The first call of the activation: moto has not started, the registry serves it."""
    allowed = create_group(modelreg.session().get_credentials(), library, "churn")
    assert allowed.status == 200
    arn = f"arn:aws:sagemaker:us-east-1:{modelreg.account_id}:model-package-group/churn"
    assert json.loads(allowed.body) == {"ModelPackageGroupArn": arn}
    assert groups(modelreg) == ["churn"]

    intern = modelreg.principal("Intern", policies=None)
    denied = create_group(intern.session().get_credentials(), library, "fraud")
    # SageMaker's denial: AccessDeniedException, 400 (pytest_modelreg.services cites the
    # evidence), with IAM's message.
    assert denied.status == 400
    assert json.loads(denied.body) == {
        "__type": "AccessDeniedException",
        "message": (
            f"User: {intern.arn} is not authorized to perform: "
            "sagemaker:CreateModelPackageGroup on resource: "
            f"arn:aws:sagemaker:us-east-1:{modelreg.account_id}:model-package-group/fraud "
            "because no identity-based policy allows the sagemaker:CreateModelPackageGroup action"
        ),
    }
    assert groups(modelreg) == ["churn"]
    assert [(c.operation, c.principal_arn, c.decision) for c in modelreg.calls[:3]] == [
        ("CreateModelPackageGroup", modelreg.principal_arn, "allowed"),
        ("ListModelPackageGroups", modelreg.calls[1].principal_arn, "allowed"),
        ("CreateModelPackageGroup", intern.arn, "implicitDeny"),
    ]


def test_after_moto_started_requests_still_reach_the_pipeline(
    modelreg: ModelRegistryHandle,
) -> None:
    """moto answers ``requests`` itself through its ``responses`` mock once it runs: the guard
    takes AWS hosts back from it."""
    modelreg.admin_client("s3").create_bucket(Bucket="started")  # starts moto
    intern = modelreg.principal("Intern", policies=None)
    assert create_group(intern.session().get_credentials(), "requests", "g").status == 400
    assert groups(modelreg) == []


def test_a_raw_request_signed_with_a_key_aws_does_not_know_is_rejected(
    modelreg: ModelRegistryHandle,
) -> None:
    """The same credential judge as botocore calls: SageMaker (awsJson) answers
    UnrecognizedClientException, 400, "The security token included in the request is invalid."
    (ekristen/aws-nuke#774), and nothing is created."""
    stranger = Credentials("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    answer = create_group(stranger, "requests", "churn")
    assert answer.status == 400
    error = json.loads(answer.body)
    assert error["__type"].endswith("UnrecognizedClientException")
    assert error["message"].startswith("The security token included in the request is invalid.")
    assert groups(modelreg) == []


@pytest.mark.parametrize("library", LIBRARIES)
def test_query_protocol(modelreg: ModelRegistryHandle, library: str) -> None:
    """STS answered in-process (the caller's identity), IAM by moto; both as the signer."""
    reader = modelreg.principal("Reader", policies=None)
    form = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
    body = b"Action=GetCallerIdentity&Version=2011-06-15"
    url = "https://sts.amazonaws.com/"
    headers, body = signed(reader.session().get_credentials(), "sts", "POST", url, form, body)
    answer = send(library, "POST", url, headers, body)
    assert answer.status == 200
    namespace = "{https://sts.amazonaws.com/doc/2011-06-15/}"
    arn = ET.fromstring(answer.body).find(f"{namespace}GetCallerIdentityResult/{namespace}Arn")
    assert arn is not None and arn.text == reader.arn

    body = urllib.parse.urlencode(
        {
            "Action": "CreateRole",
            "Version": "2010-05-08",
            "RoleName": "r",
            "AssumeRolePolicyDocument": "{}",
        }
    ).encode()
    url = "https://iam.amazonaws.com/"
    headers, body = signed(reader.session().get_credentials(), "iam", "POST", url, form, body)
    denied = send(library, "POST", url, headers, body)
    assert denied.status == 403
    error = ET.fromstring(denied.body).find("{https://iam.amazonaws.com/doc/2010-05-08/}Error")
    assert error is not None
    assert [e.text for e in error][:2] == ["Sender", "AccessDenied"]
    record = modelreg.calls[-1]
    assert (record.operation, record.params["RoleName"], record.principal_arn) == (
        "CreateRole",
        "r",
        reader.arn,
    )


def test_rest_json_and_the_tagging_api(modelreg: ModelRegistryHandle) -> None:
    """Resource Groups (REST-JSON) and the Tagging API (read in its awsJson form), in-process."""
    credentials = modelreg.admin_session().get_credentials()
    url = "https://resource-groups.us-east-1.amazonaws.com/groups-list"
    headers, body = signed(credentials, "resource-groups", "POST", url, {}, b"{}")
    listed = send("requests", "POST", url, headers, body)
    assert (listed.status, json.loads(listed.body)["GroupIdentifiers"]) == (200, [])

    url = "https://tagging.us-east-1.amazonaws.com/"
    target = {
        "X-Amz-Target": "ResourceGroupsTaggingAPI_20170126.GetResources",
        "Content-Type": "application/x-amz-json-1.1",
    }
    headers, body = signed(credentials, "tagging", "POST", url, target, b"{}")
    resources = send("urllib.request", "POST", url, headers, body)
    assert (resources.status, json.loads(resources.body)["ResourceTagMappingList"]) == (200, [])
    assert [c.operation for c in modelreg.calls] == ["ListGroups", "GetResources"]


@pytest.mark.parametrize(
    ("method", "url", "headers", "why"),
    [
        ("GET", "https://runtime.lex.us-east-1.amazonaws.com/", {}, "not an endpoint of a service"),
        ("PATCH", "https://bucket.s3.amazonaws.com/key", {}, "no s3 operation is PATCH"),
        (
            "POST",
            SAGEMAKER,
            {"X-Amz-Target": "SageMaker.NoSuchThing"},
            "names no sagemaker operation",
        ),
        (
            "POST",
            "https://tagging.us-east-1.amazonaws.com/service/ResourceGroupsTaggingAPI_20170126/operation/GetResources",
            {"smithy-protocol": "rpc-v2-cbor"},
            "smithy-rpc-v2-cbor",
        ),
        ("GET", SAGEMAKER, {"Authorization": "Bearer token"}, "not an AWS signature"),
    ],
    ids=["unserved-service", "no-operation", "unknown-target", "cbor", "other-auth"],
)
def test_what_cannot_be_judged_is_refused_naming_the_request(
    modelreg: ModelRegistryHandle,
    library: str,
    method: str,
    url: str,
    headers: dict[str, str],
    why: str,
) -> None:
    with pytest.raises(RequestRefusedError) as refused:
        send(library, method, url, headers)
    assert str(refused.value).startswith(f"pytest-modelreg refused {method} {url}: ")
    assert why in str(refused.value)
    assert modelreg.calls == []


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_a_proxy_does_not_open_a_way_out(modelreg: ModelRegistryHandle, scheme: str) -> None:
    """Through a forwarding proxy (http://) the request line holds the AWS URL; through a CONNECT
    tunnel (https://) the tunnelled host is AWS's: both are answered in-process."""
    modelreg.admin_client("s3").create_bucket(Bucket="proxied")
    proxies = {scheme: "http://proxy.example.invalid:3128"}
    answer = requests.get(f"{scheme}://proxied.s3.amazonaws.com/missing", proxies=proxies)
    assert answer.status_code == 403
    assert modelreg.calls[-1].principal_arn == "anonymous"
    assert modelreg.calls[-1].params == {"Bucket": "proxied", "Key": "missing"}


def test_other_libraries_cannot_resolve_aws_names(
    modelreg: ModelRegistryHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A client that builds its own connections (neither botocore nor one of the four libraries)
    cannot even look an AWS host up; other names resolve as before."""
    looked_up: list[str] = []
    monkeypatch.setattr(
        transport, "_real_getaddrinfo", lambda host, *a, **k: looked_up.append(host)
    )
    monkeypatch.setattr(socket, "getaddrinfo", transport._guarded_getaddrinfo)
    for host in (
        "sts.amazonaws.com",
        "bucket.s3.cn-north-1.amazonaws.com.cn",
        "ecr.us-east-1.api.aws",
    ):
        with pytest.raises(socket.gaierror, match=f"refused to resolve {host}"):
            socket.getaddrinfo(host, 443)
    socket.getaddrinfo("example.com", 443)
    assert looked_up == ["example.com"]


def test_outside_a_mock_nothing_is_intercepted(no_network: NetworkGuard) -> None:
    """The guard is inert when no mock is active: the request goes to the (here blocked) network."""
    with pytest.raises(requests.ConnectionError, match="network blocked"):
        requests.get("https://sts.amazonaws.com/")
    assert no_network.attempts
    no_network.attempts.clear()


def test_operations_sent_unsigned_by_design_are_not_anonymous(
    modelreg: ModelRegistryHandle,
) -> None:
    """sts:AssumeRoleWithWebIdentity is unsigned (botocore model: ``authtype: none``): it is judged
    as the same call made with botocore is, not refused as an unsigned request."""
    body = urllib.parse.urlencode(
        {
            "Action": "AssumeRoleWithWebIdentity",
            "Version": "2011-06-15",
            "RoleArn": f"arn:aws:iam::{modelreg.account_id}:role/web",
            "RoleSessionName": "session",
            "WebIdentityToken": "token" * 4,
        }
    ).encode()
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    answer = send("requests", "POST", "https://sts.amazonaws.com/", form, body)
    assert b"MissingAuthenticationToken" not in answer.body
    assert modelreg.calls[-1].operation == "AssumeRoleWithWebIdentity"


def test_requests_are_judged_when_moto_is_imported_after_the_plugin(tmp_path: Any) -> None:
    """As under pytest (the plugin first, then a test module importing moto): moto's core
    imports botocore half-way through its own import, which installs the plugin's
    handlers while ``moto.core.models`` is still executing: the hook on moto's ``responses`` mock
    waits for it to finish (it used to fail with a circular-import AttributeError)."""
    import subprocess
    import sys

    script = tmp_path / "moto_first.py"
    script.write_text(
        "from pytest_modelreg import mock_modelreg\n"
        "from moto import mock_aws  # noqa: F401  (then moto, before botocore)\n"
        "import requests\n"
        "with mock_modelreg() as reg:\n"
        "    s3 = reg.admin_client('s3')\n"
        "    s3.create_bucket(Bucket='sagemaker-first')\n"
        "    s3.put_object(Bucket='sagemaker-first', Key='k', Body=b'x')\n"
        "    url = reg.client('s3').generate_presigned_url(\n"
        "        'get_object', Params={'Bucket': 'sagemaker-first', 'Key': 'k'})\n"
        "    answer = requests.get(url)\n"
        "    print(answer.status_code, reg.calls[-1].operation, reg.calls[-1].decision)\n"
    )
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["200", "GetObject", "allowed"]
