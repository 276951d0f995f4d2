"""Runs moto in-process for key-hygiene's tests and demo, with the control routes moto lacks.

Prints one JSON line, {"endpoint": "http://127.0.0.1:<port>"}, once the server accepts requests; then
serves until SIGTERM, SIGINT or the end of stdin (so it never outlives the process that started it).

Control routes, on the same port as moto:
  POST /_harness/backdate-access-key  set an access key's creation time and last use
  POST /_harness/backdate-login-profile  set when a user's console password was set and last used
  POST /_harness/aws-managed-policy   make one AWS managed policy (e.g. IAMUserChangePassword) exist
  GET  /_harness/sent-emails          every mail SES accepted since the last reset
  POST /_harness/seed-users           create users, tags, console passwords and dated access keys directly
                                      on the IAM backend (fast bulk seeding for benchmarks; what is
                                      measured still goes through the AWS API)
  POST /_harness/shift-time           move every date of the account back by whole days, as if that time
                                      had passed: users' and keys' creation, last use, password use, and
                                      the ISO timestamps inside the tags whose keys start with one of the
                                      given prefixes (the service's records; the caller names them)
  POST /_harness/replace-access-key   an owner's rotation: delete one key of a user and create a new one
                                      dated now (to the second), outside the counted API
  GET  /_harness/requests             AWS API requests served since the last clear or moto reset, counted
                                      by service and action, with errors and time spent in moto
  POST /_harness/requests/clear       start counting afresh
  POST /_harness/lambda-bridge        {"url": "http://127.0.0.1:<port>/"} answers every Lambda Invoke (the
                                      ones Step Functions' Lambda tasks make too) by forwarding it there;
                                      {"url": null}, or a moto reset, turns it off (see Lambda bridge below)

Step Functions executes state machines (moto's execute_state_machine setting, switched on here): its Lambda
tasks call the Lambda API of this same server, at MOTO_PORT, which is set to the port served. moto's
Distributed Map ResultWriter writes a manifest listing no result files (a TODO in moto 5.2); the harness
writes the SUCCEEDED_0.json file AWS writes, and lists it in the manifest.
Moto's own routes stay available: POST /moto-api/reset (which also clears the request counts),
GET /moto-api/data.json. Credential reports are dated when they are read (credential_report_time.py).
"""

import io
import json
import logging
import os
import re
import signal
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs, unquote

from moto.core import DEFAULT_ACCOUNT_ID
from moto.core.config import default_user_config
from moto.iam.aws_managed_policies import aws_managed_policies_data
from moto.iam.models import LIMIT_KEYS_PER_USER, AccessKeyLastUsed, AWSManagedPolicy, iam_backends
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from moto.server import ThreadedMotoServer
from moto.ses.models import Message, RawMessage
from moto.stepfunctions.parser.asl.component.state.exec.state_map.result_writer.resource_eval.resource_eval_s3 import (
    ResourceEvalS3,
)
from moto.stepfunctions.parser.asl.utils.boto_client import boto_client_for
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

import sts_parity
from credential_report_time import date_credential_reports_now

HOST = "127.0.0.1"
PREFIX = "/_harness/"


class HarnessError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def parse_instant(value: object, field: str) -> datetime:
    """An ISO 8601 instant as moto stores times: naive UTC, whole seconds.

    moto writes credential-report dates with a literal "+00:00" and serialises naive datetimes as UTC, so
    an aware or local time would shift. AWS reports key times to the second; dropping the fraction keeps
    ListAccessKeys' CreateDate equal to the report's last_rotated.
    """
    if not isinstance(value, str):
        raise HarnessError(400, f"{field} must be an ISO 8601 string")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as error:
        raise HarnessError(400, f"{field} is not an ISO 8601 date: {value!r}") from error
    if parsed.tzinfo is None:
        raise HarnessError(400, f"{field} needs a time zone (e.g. a trailing Z): {value!r}")
    return parsed.astimezone(timezone.utc).replace(tzinfo=None, microsecond=0)


def backdate_access_key(body: dict) -> dict:
    user_name = body.get("userName")
    access_key_id = body.get("accessKeyId")
    account_id = body.get("accountId", DEFAULT_ACCOUNT_ID)
    if not isinstance(user_name, str) or not isinstance(access_key_id, str):
        raise HarnessError(400, "userName and accessKeyId are required strings")
    create_date = parse_instant(body.get("createDate"), "createDate")
    last_used = body.get("lastUsed")

    user = iam_backends[account_id]["global"].users.get(user_name)
    if user is None:
        raise HarnessError(404, f"no IAM user {user_name!r} in account {account_id}")
    key = next((k for k in user.access_keys if k.access_key_id == access_key_id), None)
    if key is None:
        raise HarnessError(404, f"user {user_name!r} has no access key {access_key_id!r}")

    used = key_last_used(last_used, "lastUsed", create_date)
    key.create_date = create_date
    key.last_used = used
    return {
        "userName": user_name,
        "accessKeyId": access_key_id,
        "createDate": create_date.isoformat() + "Z",
        "lastUsed": None if used is None else used.timestamp.isoformat() + "Z",
    }


def backdate_login_profile(body: dict) -> dict:
    """Dates a user's console password: when it was set, and its last sign-in (null: never).

    moto reports a password as set when its user was created (password_last_changed is the user's
    create_date), so setting it moves the user's creation too. The user must have a login profile.
    """
    user_name = body.get("userName")
    account_id = body.get("accountId", DEFAULT_ACCOUNT_ID)
    if not isinstance(user_name, str):
        raise HarnessError(400, "userName is a required string")
    set_at = parse_instant(body.get("passwordSetAt"), "passwordSetAt")
    last_used = body.get("lastUsed")
    used_at = None if last_used is None else parse_instant(last_used, "lastUsed")
    if used_at is not None and used_at < set_at:
        raise HarnessError(400, "lastUsed is before passwordSetAt")
    user = iam_backends[account_id]["global"].users.get(user_name)
    if user is None:
        raise HarnessError(404, f"no IAM user {user_name!r} in account {account_id}")
    if not user.password:
        raise HarnessError(409, f"user {user_name!r} has no console password")
    user.create_date = set_at
    user.password_last_used = used_at
    return {
        "userName": user_name,
        "passwordSetAt": set_at.isoformat() + "Z",
        "lastUsed": None if used_at is None else used_at.isoformat() + "Z",
    }


_aws_managed_policies: dict | None = None


def add_aws_managed_policy(body: dict) -> dict:
    """Makes one AWS managed policy exist, from moto's own copy of AWS's documents.

    moto loads all ~1,300 of them only with MOTO_IAM_LOAD_MANAGED_POLICIES, which costs most of a second on
    every reset; tests that attach one ask for just that one.
    """
    global _aws_managed_policies
    name = body.get("name")
    account_id = body.get("accountId", DEFAULT_ACCOUNT_ID)
    if not isinstance(name, str):
        raise HarnessError(400, "name is a required string")
    if _aws_managed_policies is None:
        _aws_managed_policies = json.loads(aws_managed_policies_data)
    data = _aws_managed_policies.get(name)
    if data is None:
        raise HarnessError(404, f"moto knows no AWS managed policy {name!r}")
    backend = iam_backends[account_id]["global"]
    policy = AWSManagedPolicy.from_data(name, account_id, backend.region_name, data)
    backend.managed_policies[policy.arn] = policy
    return {"arn": policy.arn}


def sent_emails(_body: dict) -> dict:
    """The mail SES accepted, as moto's /moto-api/data.json lists it under "ses".

    data.json itself fails (HTTP 500) once an IAM user has been deleted: it serialises every model instance
    ever made, and a deleted user's group_list raises NoSuchEntity, which data.json does not catch.
    """
    return {
        "Message": [
            {
                "id": message.id,
                "source": message.source,
                "destinations": message.destinations,
                "subject": message.subject,
                "body": message.body,
            }
            for message in getattr(Message, "instances_tracked", [])
        ],
        "RawMessage": [
            {
                "id": message.id,
                "source": message.source,
                "destinations": message.destinations,
                "raw_data": message.raw_data,
            }
            for message in getattr(RawMessage, "instances_tracked", [])
        ],
    }


def key_last_used(value: object, field: str, create_date: datetime) -> AccessKeyLastUsed | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise HarnessError(400, f"{field} must be an object or null")
    used_at = parse_instant(value.get("date"), f"{field}.date")
    if used_at < create_date:
        raise HarnessError(400, f"{field}.date is before createDate")
    return AccessKeyLastUsed(
        timestamp=used_at,
        service=str(value.get("service", "s3")),
        region=str(value.get("region", "us-east-1")),
    )


IAM_USER_NAME = re.compile(r"[A-Za-z0-9_+=,.@-]{1,64}")


def seed_users(body: dict) -> dict:
    """Creates users with tags and dated keys on the IAM backend, all or none of them.

    Everything is checked before anything is created, so a refused batch leaves the account as it was.
    """
    account_id = body.get("accountId", DEFAULT_ACCOUNT_ID)
    users = body.get("users")
    if not isinstance(users, list) or not users:
        raise HarnessError(400, "users must be a non-empty array")
    backend = iam_backends[account_id]["global"]
    planned = []
    names = set()
    for index, user in enumerate(users):
        where = f"users[{index}]"
        if not isinstance(user, dict):
            raise HarnessError(400, f"{where} must be an object")
        name = user.get("userName")
        if not isinstance(name, str) or not IAM_USER_NAME.fullmatch(name):
            raise HarnessError(
                400, f"{where}.userName must be an IAM user name (1 to 64 of A-Z a-z 0-9 _ + = , . @ -)"
            )
        if name in names or name in backend.users:
            raise HarnessError(409, f"{where}.userName {name!r} already exists")
        names.add(name)
        tags = user.get("tags", {})
        if not isinstance(tags, dict) or not all(isinstance(v, str) for v in tags.values()):
            raise HarnessError(400, f"{where}.tags must be an object of strings")
        console = user.get("console", False)
        if not isinstance(console, bool):
            raise HarnessError(400, f"{where}.console must be true or false")
        keys = user.get("keys", [])
        if not isinstance(keys, list) or len(keys) > LIMIT_KEYS_PER_USER:
            raise HarnessError(400, f"{where}.keys must be an array of at most {LIMIT_KEYS_PER_USER} keys")
        key_specs = []
        for key_index, key in enumerate(keys):
            key_where = f"{where}.keys[{key_index}]"
            if not isinstance(key, dict):
                raise HarnessError(400, f"{key_where} must be an object")
            status = key.get("status", "Active")
            if status not in ("Active", "Inactive"):
                raise HarnessError(400, f"{key_where}.status must be Active or Inactive")
            create_date = parse_instant(key.get("createDate"), f"{key_where}.createDate")
            last_used = key_last_used(key.get("lastUsed"), f"{key_where}.lastUsed", create_date)
            key_specs.append((status, create_date, last_used))
        planned.append((name, tags, key_specs, console))

    created = []
    for name, tags, key_specs, console in planned:
        user = backend.create_user(
            "us-east-1", name, tags=[{"Key": k, "Value": v} for k, v in tags.items()]
        )
        if console:
            backend.create_login_profile(name, "Seeded-console-password-1")
        # A key cannot be older than its user: date the user no later than its oldest key.
        if key_specs:
            user.create_date = min(user.create_date, *(create for _, create, _ in key_specs))
        key_ids = []
        for status, create_date, last_used in key_specs:
            key = backend.create_access_key(name, status=status)
            key.create_date = create_date
            key.last_used = last_used
            key_ids.append(key.access_key_id)
        created.append({"userName": name, "accessKeyIds": key_ids})
    return {"users": created}


ISO_INSTANT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")


def shift_instants(text: str, delta: timedelta) -> str:
    """Every ISO 8601 instant in `text` moved by `delta`, written back in its own form (fraction, zone)."""

    def shifted(match: re.Match) -> str:
        value = match.group(0)
        moved = datetime.fromisoformat(value.replace("Z", "+00:00")) + delta
        fraction = match.group(1)
        written = moved.strftime("%Y-%m-%dT%H:%M:%S")
        if fraction:
            written += f".{moved.microsecond:06d}"[: len(fraction)]
        zone = moved.strftime("%z")
        return written + ("Z" if match.group(2) == "Z" else f"{zone[:3]}:{zone[3:]}")

    return ISO_INSTANT.sub(shifted, text)


def shift_time(body: dict) -> dict:
    """Moves every date of the account back by `days` whole days, as if they had passed.

    The service's records carry timestamps in tag values (deactivation times, told dates, key creation
    times); the caller names their tag-key prefixes, so the grammar is known in one place (key-records.ts).
    """
    account_id = body.get("accountId", DEFAULT_ACCOUNT_ID)
    days = body.get("days")
    prefixes = body.get("recordTagPrefixes", [])
    if not isinstance(days, int) or days < 1:
        raise HarnessError(400, "days must be a whole number of days, at least 1")
    if not isinstance(prefixes, list) or not all(isinstance(p, str) and p for p in prefixes):
        raise HarnessError(400, "recordTagPrefixes must be an array of non-empty strings")
    delta = -timedelta(days=days)
    backend = iam_backends[account_id]["global"]
    tags_moved = 0
    for user in backend.users.values():
        user.create_date = user.create_date + delta
        if user.password_last_used is not None:
            user.password_last_used = user.password_last_used + delta
        for key in user.access_keys:
            key.create_date = key.create_date + delta
            if key.last_used is not None:
                used = key.last_used
                key.last_used = AccessKeyLastUsed(used.timestamp + delta, used.service, used.region)
        tags = backend.tagger.tags.get(user.arn, {})
        for tag_key, value in tags.items():
            if isinstance(value, str) and any(tag_key.startswith(prefix) for prefix in prefixes):
                moved = shift_instants(value, delta)
                if moved != value:
                    tags[tag_key] = moved
                    tags_moved += 1
    return {"users": len(backend.users), "tagsMoved": tags_moved}


def replace_access_key(body: dict) -> dict:
    """Deletes `accessKeyId` of `userName` and creates a new active key, created and last used now."""
    account_id = body.get("accountId", DEFAULT_ACCOUNT_ID)
    user_name = body.get("userName")
    access_key_id = body.get("accessKeyId")
    if not isinstance(user_name, str) or not isinstance(access_key_id, str):
        raise HarnessError(400, "userName and accessKeyId are required strings")
    backend = iam_backends[account_id]["global"]
    user = backend.users.get(user_name)
    if user is None:
        raise HarnessError(404, f"no IAM user {user_name!r} in account {account_id}")
    if not any(k.access_key_id == access_key_id for k in user.access_keys):
        raise HarnessError(404, f"user {user_name!r} has no access key {access_key_id!r}")
    backend.delete_access_key(access_key_id, user_name)
    now = datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)
    key = backend.create_access_key(user_name)
    key.create_date = now
    key.last_used = AccessKeyLastUsed(timestamp=now, service="sts", region="us-east-1")
    return {"userName": user_name, "accessKeyId": key.access_key_id, "createDate": now.isoformat() + "Z"}


class RequestLog:
    """AWS API requests served, counted by (service, action); thread-safe, and bounded by the actions."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: dict[tuple[str, str], dict] = {}

    def record(self, service: str, action: str, status: int, seconds: float) -> None:
        with self._lock:
            entry = self._counts.setdefault((service, action), {"count": 0, "errors": 0, "seconds": 0.0})
            entry["count"] += 1
            entry["errors"] += 1 if status >= 400 else 0
            entry["seconds"] += seconds

    def clear(self) -> None:
        with self._lock:
            self._counts.clear()

    def snapshot(self) -> list[dict]:
        with self._lock:
            return [
                {
                    "service": service,
                    "action": action,
                    "count": entry["count"],
                    "errors": entry["errors"],
                    "totalMs": round(entry["seconds"] * 1000, 3),
                }
                for (service, action), entry in sorted(self._counts.items())
            ]


REQUEST_LOG = RequestLog()
SIGV4_SCOPE = re.compile(r"Credential=[^/,\s]+/\d{8}/[^/,\s]+/([^/,\s]+)/aws4_request")
CBOR_OPERATION = re.compile(r"^/service/[^/]+/operation/([^/]+)$")


def read_body(environ: dict) -> bytes:
    """Reads the request body and puts it back, so moto reads it as if untouched."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    body = environ["wsgi.input"].read(length) if length > 0 else b""
    environ["wsgi.input"] = io.BytesIO(body)
    return body


def describe_request(environ: dict) -> tuple[str, str]:
    """The service (from the SigV4 credential scope) and action an AWS SDK request asks for.

    The action comes from X-Amz-Target (JSON protocols), the Action parameter (query protocol: IAM, STS,
    SES v1), the operation path (Smithy RPC v2 CBOR), or else the method and path (REST protocols).
    """
    scope = SIGV4_SCOPE.search(environ.get("HTTP_AUTHORIZATION", ""))
    service = scope.group(1) if scope else "unsigned"
    target = environ.get("HTTP_X_AMZ_TARGET")
    if target:
        return service, target.rsplit(".", 1)[-1]
    path = environ.get("PATH_INFO", "")
    query = parse_qs(environ.get("QUERY_STRING", ""))
    if "Action" in query:
        return service, query["Action"][0]
    if environ.get("CONTENT_TYPE", "").startswith("application/x-www-form-urlencoded"):
        form = parse_qs(read_body(environ).decode("utf-8", "replace"))
        if "Action" in form:
            return service, form["Action"][0]
    operation = CBOR_OPERATION.match(path)
    if operation:
        return service, operation.group(1)
    return service, f"{environ.get('REQUEST_METHOD', '?')} {path}"


def read_requests(_body: dict) -> dict:
    return {"requests": REQUEST_LOG.snapshot()}


def clear_requests(_body: dict) -> dict:
    REQUEST_LOG.clear()
    return {"requests": []}


class LambdaBridge:
    """Answers Lambda Invoke requests by forwarding them to a callback server that runs our handlers.

    moto would run a Lambda function's code in Docker; the tests and the demo instead want the real
    TypeScript handlers, which a Node process serves. Each invocation is POSTed to the callback as
    {"functionName", "payload"} and answered from {"payload", "functionError"} (status 200: the function
    ran, possibly failing as a function error) or {"errorType", "message"} with an HTTP error status (a
    Lambda service error such as TooManyRequestsException, as the Lambda API answers it).
    """

    INVOCATION = re.compile(r"^/2015-03-31/functions/([^/]+)/invocations$")
    # Longer than any handler a test runs; Step Functions' own task timeout is what a test should meet.
    TIMEOUT_SECONDS = 900

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._url: str | None = None

    def set_url(self, body: dict) -> dict:
        url = body.get("url")
        if url is not None and (not isinstance(url, str) or not url.startswith("http://127.0.0.1:")):
            raise HarnessError(400, "url must be null or an http://127.0.0.1:<port>/ address")
        with self._lock:
            self._url = url
        return {"url": url}

    def clear(self) -> None:
        with self._lock:
            self._url = None

    def answers(self, environ: dict) -> str | None:
        """The function an invocation names, when the bridge is on and the request is an Invoke."""
        if environ.get("REQUEST_METHOD") != "POST":
            return None
        match = self.INVOCATION.match(environ.get("PATH_INFO", ""))
        with self._lock:
            on = self._url is not None
        if match is None or not on:
            return None
        # A function name, a partial ARN or a full ARN (Step Functions sends the ARN): the name is last.
        return unquote(match.group(1)).split(":function:")[-1].split(":")[0]

    def invoke(self, function_name: str, environ: dict) -> Response:
        with self._lock:
            url = self._url
        if url is None:
            raise HarnessError(503, "the Lambda bridge was turned off")
        payload = read_body(environ).decode("utf-8")
        request = urllib.request.Request(
            url,
            data=json.dumps({"functionName": function_name, "payload": payload}).encode("utf-8"),
            headers={"content-type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.TIMEOUT_SECONDS) as answer:
                status, result = answer.status, json.loads(answer.read())
        except urllib.error.HTTPError as error:
            status, result = error.code, json.loads(error.read() or b"{}")
        except (urllib.error.URLError, OSError) as error:
            status, result = 502, {"errorType": "ServiceException", "message": f"Lambda bridge: {error}"}
        if status != 200:
            error_type = str(result.get("errorType", "ServiceException"))
            return Response(
                json.dumps({"Type": "Service", "message": str(result.get("message", error_type))}),
                status=status,
                mimetype="application/json",
                # botocore reads the error code from this header; moto's Step Functions quotes the request id.
                headers={"x-amzn-ErrorType": error_type, "x-amzn-RequestId": str(uuid.uuid4())},
            )
        headers = {"X-Amz-Executed-Version": "$LATEST", "x-amzn-RequestId": str(uuid.uuid4())}
        if result.get("functionError"):
            headers["X-Amz-Function-Error"] = str(result["functionError"])
        return Response(str(result.get("payload", "null")), status=200, mimetype="application/json", headers=headers)


LAMBDA_BRIDGE = LambdaBridge()


def write_map_results(env, resource_runtime_part, state_credentials) -> None:
    """moto's ResultWriter for S3, completed with the result file AWS writes.

    AWS writes each child execution's record to <prefix><map run id>/SUCCEEDED_<n>.json (FAILED_, PENDING_
    likewise) and lists those files in manifest.json; moto 5.2 writes the manifest alone, with empty lists.
    Here every result lands in one SUCCEEDED_0.json in AWS's record form (Output is the JSON text of the
    iteration's output). moto keeps no child executions, so the records carry no Input: InputDetails says so.
    """
    parameters = env.stack.pop()
    results = env.stack.pop()
    s3 = boto_client_for(service="s3", region=resource_runtime_part.region, state_credentials=state_credentials)
    map_run_record = env.map_run_record_pool_manager.get_all().pop()
    map_run_arn = map_run_record.map_run_arn
    map_run_id = map_run_arn.split(":")[-1]
    prefix = parameters.get("Prefix", "")
    if prefix != "" and not prefix.endswith("/"):
        prefix += "/"
    now = datetime.now(timezone.utc).isoformat()
    records = [
        {
            "ExecutionArn": f"{map_run_arn.replace(':mapRun:', ':execution:')}:{uuid.uuid4()}",
            "InputDetails": {"Included": False},
            "Name": str(uuid.uuid4()),
            "Output": json.dumps(result, separators=(",", ":")),
            "OutputDetails": {"Included": True},
            "RedriveCount": 0,
            "RedriveStatus": "NOT_REDRIVABLE",
            "StartDate": now,
            "StateMachineArn": map_run_record.map_state_machine_arn,
            "Status": "SUCCEEDED",
            "StopDate": now,
        }
        for result in (results if isinstance(results, list) else [])
    ]
    results_key = f"{prefix}{map_run_id}/SUCCEEDED_0.json"
    results_body = json.dumps(records).encode("utf-8")
    s3.put_object(Bucket=parameters["Bucket"], Key=results_key, Body=results_body)
    manifest = {
        "DestinationBucket": parameters["Bucket"],
        "MapRunArn": map_run_arn,
        "ResultFiles": {
            "FAILED": [],
            "PENDING": [],
            "SUCCEEDED": [{"Key": results_key, "Size": len(results_body)}],
        },
    }
    manifest_key = f"{prefix}{map_run_id}/manifest.json"
    s3.put_object(Bucket=parameters["Bucket"], Key=manifest_key, Body=json.dumps(manifest).encode("utf-8"))
    env.stack.append(
        {"MapRunArn": map_run_arn, "ResultWriterDetails": {"Bucket": parameters["Bucket"], "Key": manifest_key}}
    )


def enable_step_functions(port: int) -> None:
    """Lets moto execute state machines, its Lambda and S3 calls reaching this server."""
    os.environ["MOTO_PORT"] = str(port)
    default_user_config["stepfunctions"]["execute_state_machine"] = True
    ResourceEvalS3._handle_put_object = staticmethod(write_map_results)


ROUTES = {
    ("POST", "backdate-access-key"): backdate_access_key,
    ("POST", "backdate-login-profile"): backdate_login_profile,
    ("POST", "aws-managed-policy"): add_aws_managed_policy,
    ("GET", "sent-emails"): sent_emails,
    ("POST", "seed-users"): seed_users,
    ("POST", "shift-time"): shift_time,
    ("POST", "replace-access-key"): replace_access_key,
    ("GET", "requests"): read_requests,
    ("POST", "requests/clear"): clear_requests,
    ("POST", "lambda-bridge"): LAMBDA_BRIDGE.set_url,
}


def handle_control(request: Request) -> Response:
    route = ROUTES.get((request.method, request.path[len(PREFIX) :]))
    try:
        if route is None:
            raise HarnessError(404, f"no harness route {request.method} {request.path}")
        body = request.get_json(force=True, silent=True) if request.method == "POST" else {}
        if body is None and request.method == "POST" and not request.get_data():
            body = {}
        if not isinstance(body, dict):
            raise HarnessError(400, "the request body must be a JSON object")
        status, result = 200, route(body)
    except HarnessError as error:
        status, result = error.status, {"error": str(error)}
    return Response(json.dumps(result), status=status, mimetype="application/json")


def with_control_routes(moto_app):
    def app(environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path.startswith(PREFIX):
            return handle_control(Request(environ))(environ, start_response)
        if path.startswith("/moto-api/"):
            if path == "/moto-api/reset":
                REQUEST_LOG.clear()
                LAMBDA_BRIDGE.clear()
            return moto_app(environ, start_response)

        service, action = describe_request(environ)
        bridged = LAMBDA_BRIDGE.answers(environ)
        if bridged is not None:
            started = time.perf_counter()
            try:
                response = LAMBDA_BRIDGE.invoke(bridged, environ)
            except HarnessError as error:
                response = Response(json.dumps({"message": str(error)}), status=error.status)
            REQUEST_LOG.record(service, action, response.status_code, time.perf_counter() - started)
            return response(environ, start_response)
        if action == "StartExecution":
            # Step Functions takes an execution name once; moto checks and adds without a lock, so two
            # starts at once could both succeed. One at a time, as AWS behaves.
            with START_EXECUTION_LOCK:
                return recorded(moto_app, environ, start_response, service, action)
        return recorded(moto_app, environ, start_response, service, action)

    return app


START_EXECUTION_LOCK = threading.Lock()


def recorded(moto_app, environ, start_response, service: str, action: str):
    """Serves a request with moto, counting it (with its status and time) in the request log."""
    status = [500]

    def recording_start_response(status_line, headers, exc_info=None):
        status[0] = int(status_line.split(" ", 1)[0])
        return start_response(status_line, headers, exc_info)

    started = time.perf_counter()
    try:
        # moto answers with a list of bytes, so the time inside moto_app is the time moto took.
        return moto_app(environ, recording_start_response)
    finally:
        REQUEST_LOG.record(service, action, status[0], time.perf_counter() - started)


class HarnessServer(ThreadedMotoServer):
    # ThreadedMotoServer builds its WSGI app inside this (private) method; overriding it is the only way to
    # put the control routes on moto's own port while keeping its start/stop/port handling.
    def _server_entry(self) -> None:
        app = with_control_routes(DomainDispatcherApplication(create_backend_app))
        self._server = make_server(self._ip_address, self._port, app, True)
        self._server_ready_event.set()
        self._server.serve_forever()


def main() -> None:
    # werkzeug logs every request to stderr; keep stderr for warnings and errors.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    date_credential_reports_now()
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())

    def stop_at_end_of_stdin() -> None:
        # os.read, not sys.stdin: a daemon thread blocked in a buffered read aborts interpreter shutdown.
        while os.read(sys.stdin.fileno(), 4096):
            pass
        stop.set()

    sts_parity.install()
    server = HarnessServer(ip_address=HOST, port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    enable_step_functions(port)
    print(json.dumps({"endpoint": f"http://{host}:{port}"}), flush=True)
    # Exactly one line belongs on stdout; anything printed later (by moto or a library) goes to stderr.
    sys.stdout = sys.stderr
    threading.Thread(target=stop_at_end_of_stdin, daemon=True).start()

    stop.wait()
    server.stop()


if __name__ == "__main__":
    main()
