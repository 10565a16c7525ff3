"""Signs requests with botocore's SigV4 signer, to cross-check meshdeck's signatures.

Reads JSON on stdin: {"access_key", "secret_key", "token", "requests": [{"method", "url",
"headers": {name: value} (exactly the signed headers, x-amz-date among them), "body_b64",
"service", "region"}]}; writes a JSON list with botocore's signature for each request.
"""
import base64
import json
import sys

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials


def main():
    job = json.load(sys.stdin)
    creds = Credentials(job["access_key"], job["secret_key"], job.get("token"))
    out = []
    for r in job["requests"]:
        body = base64.b64decode(r["body_b64"])
        request = AWSRequest(method=r["method"], url=r["url"], data=body, headers=r["headers"])
        auth = SigV4Auth(creds, r["service"], r["region"])
        request.context["timestamp"] = r["headers"]["x-amz-date"]
        canonical = auth.canonical_request(request)
        string_to_sign = auth.string_to_sign(request, canonical)
        out.append(auth.signature(string_to_sign, request))
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
