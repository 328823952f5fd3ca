"""Reference data kept as fixtures (districts, carrier types), loaded idempotently.

Rows are matched on their stable code, so loading twice changes nothing and a
new fixture row (a new carrier type) is added by the next load. Works with the
live app registry and with a migration's historical one.
"""

import json
from pathlib import Path

from django.conf import settings

FIXTURES = (
    ("districts.json", "code"),
    ("carrier_types.json", "code"),
)


def fixture_path(name: str) -> Path:
    return Path(settings.BASE_DIR) / "fixtures" / name


def load_reference_data(apps) -> dict[str, int]:
    """Create or update every reference row; return counts of rows created per model."""
    created_counts: dict[str, int] = {}
    for filename, key in FIXTURES:
        rows = json.loads(fixture_path(filename).read_text(encoding="utf-8"))
        for row in rows:
            model = apps.get_model(row["model"])
            field_names = {f.name for f in model._meta.concrete_fields}
            fields = {k: v for k, v in row["fields"].items() if k in field_names}
            _, created = model.objects.update_or_create(**{key: fields.pop(key)}, defaults=fields)
            created_counts[row["model"]] = created_counts.get(row["model"], 0) + int(created)
    return created_counts
