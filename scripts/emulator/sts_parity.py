"""Makes moto's STS refuse AssumeRole on a role that does not exist, as AWS does (AccessDenied).

moto lets any ARN be assumed ("the role does not need to exist"); the organization run tells a member
account whose member role is missing by exactly that answer. (moto's Organizations already creates
OrganizationAccountAccessRole in the accounts it creates, as AWS does.)
"""

from moto.core.exceptions import AccessDeniedError
from moto.iam.models import iam_backends
from moto.sts.models import STSBackend


_assume_any_role = STSBackend.assume_role


def _role_exists(role_arn: str) -> bool:
    # arn:<partition>:iam::<account>:role/<path/>name
    parts = role_arn.split(":", 5)
    if len(parts) != 6 or parts[2] != "iam" or not parts[5].startswith("role/"):
        return True  # not an IAM role ARN: leave moto's own validation to answer
    account_id, name = parts[4], parts[5].rsplit("/", 1)[-1]
    backend = iam_backends[account_id]["global"]
    return any(role.name == name for role in backend.roles.values())


def _assume_existing_role(self: STSBackend, region_name: str, role_session_name: str, role_arn: str, **kwargs):
    if not _role_exists(role_arn):
        raise AccessDeniedError(
            user_arn=f"arn:aws:iam::{self.account_id}:root",
            action=f"sts:AssumeRole on resource: {role_arn}",
        )
    return _assume_any_role(self, region_name, role_session_name, role_arn, **kwargs)


def install() -> None:
    STSBackend.assume_role = _assume_existing_role
