"""The JMAPPA annual report (§15.5): the catalogue of statistics a report year chooses from
(catalogue.py), the small-cell rule of the published version (suppression.py), and the check
that a case example names no one (anonymity.py)."""
