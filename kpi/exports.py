"""The rows behind a KPI's figure as CSV (formula-safe and audited: jmappa/exports.py). A
case is named by its reference only, whoever exports."""

from __future__ import annotations

from .indicators import Result

COLUMNS = {
    1: ["Case", "Lead agency", "Level", "Meetings in the period", "Longest gap (days)",
        "Late reviews", "Deviation recorded", "Met"],
    4: ["Meeting", "Member", "Seat", "Attendance", "Met"],
    5: ["Meeting", "Case", "Level", "Invited agency", "Attendance", "Met"],
}
COLUMNS[2] = COLUMNS[1]
COLUMNS[3] = ["Meeting", "Case", "Level", "Lead agency", "Disclosure decision", "Met"]


def header(number: int) -> list[str]:
    return COLUMNS[number]


def lines(result: Result):
    yes = {True: "yes", False: "no"}
    for row in result.rows:
        if result.number in (1, 2):
            late = "; ".join(f"due {late['due']}, " + (f"held {late['held']}" if late["held"]
                                                        else "not held")
                             for late in row["late"])
            yield [row["reference"], row["agency"], row["level"], " ".join(row["meetings"]),
                   row["longest_gap"], late, yes[row["deviation"]], yes[row["met"]]]
        elif result.number == 3:
            yield [row["date"], row["reference"], row["level"], row["agency"],
                   row["outcome_label"], yes[row["met"]]]
        elif result.number == 4:
            yield [row["date"], row["member"], row["seat"], row["status_label"],
                   yes[row["met"]]]
        else:
            yield [row["date"], row["reference"], row["level"], row["agency"],
                   row["outcome_label"], yes[row["met"]]]
