"""Where a file linkage (or CS notice) file goes (issue #18 item 4): the city's file share — a directory — or an
S3-compatible bucket, named `s3://<bucket>[/<prefix>]` in the 連携先's place. Either way a reader never sees half a
file (a directory: written beside its name and renamed; S3: an object appears whole), and `manifest.csv` beside
the files gets one line per file. Any failure is an OSError, so the caller records a failed run and advances nothing.

S3: the endpoint is `JUMIN_S3_ENDPOINT_URL` (empty: AWS itself), the credentials boto3's own (the environment's
AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, or the instance's role) — never stored in the database."""

from __future__ import annotations

import os

MANIFEST = "manifest.csv"
MANIFEST_HEADER = ["ファイル", "行数", "SHA-256"]


def is_bucket(place: str) -> bool:
    return place.startswith("s3://")


def bucket_and_prefix(place: str) -> tuple[str, str]:
    rest = place[len("s3://"):]
    bucket, _, prefix = rest.partition("/")
    return bucket, (prefix.strip("/") + "/") if prefix.strip("/") else ""


def _client():
    import boto3
    from botocore.config import Config
    from django.conf import settings

    return boto3.client("s3", endpoint_url=getattr(settings, "JUMIN_S3_ENDPOINT_URL", "") or None,
                        config=Config(connect_timeout=5, read_timeout=30, retries={"max_attempts": 2}))


def _s3_call(what: str, fn):
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        return fn()
    except ClientError as error:
        raise OSError(f"{what}: {error.response.get('Error', {}).get('Code', '')} "
                      f"{error.response.get('Error', {}).get('Message', '')}".strip()) from error
    except BotoCoreError as error:
        raise OSError(f"{what}: {error}") from error


def put(place: str, name: str, data: bytes) -> None:
    """The whole file under its name in the place."""
    if is_bucket(place):
        bucket, prefix = bucket_and_prefix(place)
        client = _client()
        _s3_call(f"s3://{bucket}/{prefix}{name} に書けません",
                 lambda: client.put_object(Bucket=bucket, Key=prefix + name, Body=data))
        return
    path, partial = os.path.join(place, name), os.path.join(place, f".{name}.partial")
    with open(partial, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    os.replace(partial, path)


def add_to_manifest(place: str, name: str, rows: int, digest: str) -> None:
    """One line (file, rows, SHA-256) appended to the place's manifest.csv (created with its header)."""
    import io

    from jumin.core.csvfile import write_csv

    if is_bucket(place):
        bucket, prefix = bucket_and_prefix(place)
        client = _client()
        key = prefix + MANIFEST

        def read():
            from botocore.exceptions import ClientError

            try:
                return client.get_object(Bucket=bucket, Key=key)["Body"].read().decode("utf-8")
            except ClientError as error:
                if error.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                    return ""
                raise

        text = _s3_call(f"s3://{bucket}/{key} を読めません", read)
        out = io.StringIO()
        write_csv([[name, rows, digest]], None if text else MANIFEST_HEADER, out=out)
        _s3_call(f"s3://{bucket}/{key} に書けません",
                 lambda: client.put_object(Bucket=bucket, Key=key, Body=(text + out.getvalue()).encode("utf-8")))
        return
    manifest = os.path.join(place, MANIFEST)
    new = not os.path.exists(manifest)
    with open(manifest, "a", encoding="utf-8", newline="") as out:
        write_csv([[name, rows, digest]], MANIFEST_HEADER if new else None, out=out)
