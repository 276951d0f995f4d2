"""Runs moto in-process for key-hygiene's tests and demo, with the control routes moto lacks.

Prints one JSON line, {"endpoint": "http://127.0.0.1:<port>"}, once the server accepts requests; then
serves until SIGTERM, SIGINT or the end of stdin (so it never outlives the process that started it).

Control routes, on the same port as moto:
  POST /_harness/backdate-access-key  set an access key's creation time and last use
  POST /_harness/aws-managed-policy   make one AWS managed policy (e.g. IAMUserChangePassword) exist
  GET  /_harness/sent-emails          every mail SES accepted since the last reset
Moto's own routes stay available: POST /moto-api/reset, GET /moto-api/data.json.
"""

import json
import logging
import os
import signal
import sys
import threading
from datetime import datetime, timezone

from moto.core import DEFAULT_ACCOUNT_ID
from moto.iam.aws_managed_policies import aws_managed_policies_data
from moto.iam.models import AccessKeyLastUsed, AWSManagedPolicy, iam_backends
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from moto.server import ThreadedMotoServer
from moto.ses.models import Message, RawMessage
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

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
    if last_used is not None and not isinstance(last_used, dict):
        raise HarnessError(400, "lastUsed must be an object or null")

    user = iam_backends[account_id]["global"].users.get(user_name)
    if user is None:
        raise HarnessError(404, f"no IAM user {user_name!r} in account {account_id}")
    key = next((k for k in user.access_keys if k.access_key_id == access_key_id), None)
    if key is None:
        raise HarnessError(404, f"user {user_name!r} has no access key {access_key_id!r}")

    if last_used is None:
        used = None
    else:
        used_at = parse_instant(last_used.get("date"), "lastUsed.date")
        if used_at < create_date:
            raise HarnessError(400, "lastUsed.date is before createDate")
        used = AccessKeyLastUsed(
            timestamp=used_at,
            service=str(last_used.get("service", "s3")),
            region=str(last_used.get("region", "us-east-1")),
        )
    key.create_date = create_date
    key.last_used = used
    return {
        "userName": user_name,
        "accessKeyId": access_key_id,
        "createDate": create_date.isoformat() + "Z",
        "lastUsed": None if used is None else used.timestamp.isoformat() + "Z",
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


ROUTES = {
    ("POST", "backdate-access-key"): backdate_access_key,
    ("POST", "aws-managed-policy"): add_aws_managed_policy,
    ("GET", "sent-emails"): sent_emails,
}


def handle_control(request: Request) -> Response:
    route = ROUTES.get((request.method, request.path[len(PREFIX) :]))
    try:
        if route is None:
            raise HarnessError(404, f"no harness route {request.method} {request.path}")
        body = {} if request.method == "GET" else request.get_json(force=True, silent=True)
        if not isinstance(body, dict):
            raise HarnessError(400, "the request body must be a JSON object")
        status, result = 200, route(body)
    except HarnessError as error:
        status, result = error.status, {"error": str(error)}
    return Response(json.dumps(result), status=status, mimetype="application/json")


def with_control_routes(moto_app):
    def app(environ, start_response):
        if environ.get("PATH_INFO", "").startswith(PREFIX):
            return handle_control(Request(environ))(environ, start_response)
        return moto_app(environ, start_response)

    return app


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
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())

    def stop_at_end_of_stdin() -> None:
        # os.read, not sys.stdin: a daemon thread blocked in a buffered read aborts interpreter shutdown.
        while os.read(sys.stdin.fileno(), 4096):
            pass
        stop.set()

    server = HarnessServer(ip_address=HOST, port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    print(json.dumps({"endpoint": f"http://{host}:{port}"}), flush=True)
    # Exactly one line belongs on stdout; anything printed later (by moto or a library) goes to stderr.
    sys.stdout = sys.stderr
    threading.Thread(target=stop_at_end_of_stdin, daemon=True).start()

    stop.wait()
    server.stop()


if __name__ == "__main__":
    main()
