"""CSV exports. Every export neutralises spreadsheet formulas and is audited."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence

from django.http import StreamingHttpResponse

from jmappa.audit.models import Verb
from jmappa.audit.services import audit_log

# A cell beginning with one of these is read as a formula by spreadsheet
# programs (CSV injection); a leading apostrophe makes it plain text.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


class _Echo:
    def write(self, value):
        return value


def csv_response(
    *,
    filename: str,
    header: Sequence[str],
    rows: Iterable[Sequence],
    actor,
    object_type: str,
    detail: str = "",
    ids: Iterable | None = None,
) -> StreamingHttpResponse:
    """Stream rows as CSV, after writing the export's audit event: naming the `ids` of the
    records exported, where given, as a list page's event does."""
    audit_log(actor=actor, action=Verb.EXPORT, object_type=object_type, detail=detail,
              changes=None if ids is None else {"ids": list(ids)})
    writer = csv.writer(_Echo())

    def lines():
        yield writer.writerow([safe_cell(h) for h in header])
        for row in rows:
            yield writer.writerow([safe_cell(v) for v in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
