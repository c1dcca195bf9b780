"""The register's pages: the read side (read.py), the nominal's own forms (edit.py), the
parts of the record (record.py), the Co-ordinator's access decisions
(access_decisions.py); what the forms share is base.py."""
