"""Validates OpenAPI documents against the published schema of each one's version.

Usage: validate_openapi.py FILE...   (prints 'N passed, N failed'; exit 1 on any failure)
"""
import json
import sys
from collections import Counter

from openapi_spec_validator import validate
from openapi_spec_validator.readers import read_from_filename

passed, failed = 0, 0
versions = Counter()
for path in sys.argv[1:]:
    try:
        spec, _ = read_from_filename(path)
        validate(spec)
        versions[spec.get("openapi", "?")] += 1
        passed += 1
    except Exception as e:  # noqa: BLE001 - report every document, then fail
        failed += 1
        print(f"invalid OpenAPI document: {path}\n  {str(e)[:2000]}")
print("documents per version: " + json.dumps(dict(sorted(versions.items()))))
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed or not passed else 0)
