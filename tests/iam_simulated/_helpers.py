"""Roles in the simulated IAM that the test assumes, so its calls are judged by their policies."""

from __future__ import annotations

import json
from typing import Any

import boto3

from pytest_modelreg import ModelRegistryHandle


def trust_account(account_id: str, partition: str = "aws") -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:{partition}:iam::{account_id}:root"},
                    "Action": "sts:AssumeRole",
                }
            ],
        }
    )


def assume(reg: ModelRegistryHandle, role_arn: str) -> boto3.Session:
    """A session of ``role_arn``, assumed by the unrestricted admin."""
    creds: dict[str, Any] = reg.admin_client("sts").assume_role(
        RoleArn=role_arn, RoleSessionName="test"
    )["Credentials"]
    return boto3.Session(
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
        region_name=reg.region,
    )
