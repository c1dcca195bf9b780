"""The forms of meetings: arranging and holding them (arranging.py), their minutes
(minutes.py)."""
