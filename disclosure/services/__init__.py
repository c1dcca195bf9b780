"""Every write of the disclosure app, one transaction each with its audit event:
`decisions` (the disclosure step of a meeting's minutes), `disclosures` (a disclosure to a
third party, from agreement through endorsement to the telling), `requests` (the register of
requests for minutes), `summaries` (the Minutes Executive Summary), `worship` (attendance at
a place of worship and the behaviour contract)."""
