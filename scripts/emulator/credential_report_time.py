"""Dates moto's credential reports as AWS does: when their content was generated.

moto answers every GetCredentialReport with GeneratedTime 2015-02-02T20:02:02Z, while it builds the report's
content afresh for each answer, from the account as it is at that moment. Dating the answer at that moment
makes a run against the emulator say "credential report of <today>", as it would against AWS.
"""

from datetime import datetime, timezone

from moto.core.responses import ActionResult
from moto.iam.responses import IamResponse


def date_credential_reports_now() -> None:
    """Makes IAM's GetCredentialReport answer carry the current UTC time, to the second, as GeneratedTime."""
    moto_answer = IamResponse.get_credential_report

    def get_credential_report(self: IamResponse) -> ActionResult:
        answer = moto_answer(self)
        generated = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        return ActionResult({**answer.result, "GeneratedTime": generated})

    IamResponse.get_credential_report = get_credential_report
