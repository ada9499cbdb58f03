"""Signs requests with botocore's SigV4Auth / S3SigV4Auth at a fixed time: the oracle for SigV4Tests.

stdin: a JSON list of cases {method, url, headers: [[name, value]], body (base64), region, service,
s3, accessKeyId, secretAccessKey, sessionToken, timestamp (yyyymmddTHHMMSSZ)}.
stdout: a JSON list of {headers: [[name, value]], canonicalRequest}.
"""
import base64
import datetime
import json
import sys
from unittest import mock

import botocore.auth as auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials


def sign(case):
    credentials = Credentials(case["accessKeyId"], case["secretAccessKey"], case.get("sessionToken"))
    request = AWSRequest(method=case["method"], url=case["url"], data=base64.b64decode(case["body"]))
    for name, value in case["headers"]:
        request.headers[name] = value
    signer_class = auth.S3SigV4Auth if case["s3"] else auth.SigV4Auth
    signer = signer_class(credentials, case["service"], case["region"])
    captured = []
    build = signer.canonical_request
    signer.canonical_request = lambda r: captured.append(build(r)) or captured[-1]
    when = datetime.datetime.strptime(case["timestamp"], "%Y%m%dT%H%M%SZ")
    with mock.patch.object(auth, "get_current_datetime", return_value=when):
        signer.add_auth(request)
    return {"headers": [[k, v] for k, v in request.headers.items()], "canonicalRequest": captured[0]}


json.dump([sign(case) for case in json.load(sys.stdin)], sys.stdout)
