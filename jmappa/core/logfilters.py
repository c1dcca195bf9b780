"""Filters for the logging configuration (settings.LOGGING)."""

import logging


class RefusalWithoutTraceback(logging.Filter):
    """A 403 is the need-to-know rule doing its work, not a fault: django.request logs it in
    one line ("Forbidden (Permission denied): /path"), without the traceback of the
    PermissionDenied raised, which would bury real errors in the log."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True
