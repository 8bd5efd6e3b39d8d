"""The API fuzz (issue #15 item 3): schemathesis generates requests from /api/openapi.json — valid ones and,
in its negative mode, ones that break the documented schema — and sends them to the application in-process
(WSGI, no server) as a clerk and as a supervisor with real API tokens, against a throwaway database that
`make fuzz` builds with a small synthetic city.

It fails on any 5xx, and on a response the OpenAPI document does not describe: an undocumented status, a
wrong content type, or a body that does not match the documented schema.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jumin_fuzz .venv/bin/python bench/fuzz/run.py --examples 8

Last line: `FUZZ RESULT: operations N, cases N, 5xx N, undocumented N`.
"""

import argparse
import os
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jumin.settings")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=8, help="generated cases per operation, per mode and role")
    parser.add_argument("--seed", type=int, default=1, help="hypothesis seed (the same seed, the same cases)")
    parser.add_argument("--only", default="", help="only operations whose path contains this text")
    args = parser.parse_args()

    import django

    django.setup()
    import schemathesis
    from django.core.wsgi import get_wsgi_application
    from hypothesis import HealthCheck, Phase, given, seed, settings
    from schemathesis import GenerationMode
    from schemathesis.specs.openapi.checks import (content_type_conformance, response_schema_conformance,
                                                   status_code_conformance)

    from jumin.accounts import rules as roles
    from jumin.accounts.models import ApiToken, User

    tokens = {}
    for role in (roles.CLERK, roles.SUPERVISOR):
        user, _ = User.objects.get_or_create(username=f"fuzz-{role}", defaults={"role": role,
                                                                                "display_name": f"ファズ {role}"})
        tokens[role] = ApiToken.issue(user, "fuzz")[1]

    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
    checks = [status_code_conformance, content_type_conformance, response_schema_conformance]
    operations = [result.ok() for result in schema.get_all_operations()]
    operations = [op for op in operations if args.only in op.path]
    cases = 0
    statuses: Counter = Counter()
    server_errors: list[str] = []
    undocumented: dict[str, str] = {}
    started = time.monotonic()
    for operation in operations:
        label = f"{operation.method.upper()} {operation.path}"
        for role, token in tokens.items():
            headers = {"Authorization": f"Bearer {token}", "X-Jumin-Terminal": "FUZZ-1"}
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

                @seed(args.seed)
                @settings(max_examples=args.examples, database=None, deadline=None, phases=[Phase.generate],
                          suppress_health_check=list(HealthCheck))
                @given(case=operation.as_strategy(generation_mode=mode))
                def run(case):
                    nonlocal cases
                    response = case.call(headers=headers)
                    cases += 1
                    statuses[response.status_code] += 1
                    if response.status_code >= 500:
                        server_errors.append(f"{label} → {response.status_code}: {case.as_curl_command()}"[:600])
                        return
                    try:
                        case.validate_response(response, checks=checks)
                    except (Exception, BaseExceptionGroup) as failure:  # schemathesis' FailureGroup: note it, go on
                        undocumented.setdefault(f"{label} {response.status_code}", " | ".join(line for line in str(failure).splitlines() if line.strip())[:400])

                try:
                    run()
                except (Exception, BaseExceptionGroup) as exc:  # no strategy could be built for this operation
                    undocumented.setdefault(f"{label} (generation)", f"{type(exc).__name__}: {exc}"[:300])
    elapsed = time.monotonic() - started
    print(f"statuses: {dict(sorted(statuses.items()))}")
    for line in server_errors[:30]:
        print(f"5xx: {line}")
    for key, text in list(undocumented.items())[:40]:
        print(f"undocumented: {key}: {text}")
    print(f"FUZZ RESULT: operations {len(operations)}, cases {cases}, 5xx {len(server_errors)}, "
          f"undocumented {len(undocumented)} in {elapsed:.0f} s")
    return 1 if server_errors or undocumented else 0


if __name__ == "__main__":
    sys.exit(main())
