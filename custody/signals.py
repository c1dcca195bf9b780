"""What custody tells the apps above it, which it may not import: the alerts app tells the
team (alerts/apps.py)."""

from django.dispatch import Signal

# The joined-up team's lead changed: sent with nominal, planning, previous (a TeamRole or "").
lead_changed = Signal()
