"""The meeting pages, a module per job: the meetings list, the meeting page and scheduling
(schedule.py), invitations and answers (invitations.py), attendance and follow-ups
(attendance.py), the Administrator's panel dates (panels.py) and standing membership
(standing.py), the minutes (minutes.py); what they share is base.py."""
