"""The small-cell rule of the published annual report (§15.5). Jersey is small: a published
table must not let anyone identify a person. The internal version shows exact figures; the
published one:

- primary suppression: a count of 1 to 4 is shown as "fewer than 5" (0 is shown: it names
  no one);
- secondary suppression: in a table with totals, no row nor column may have exactly one
  suppressed cell, or the total would give it away; the smallest other count in that line
  (a total, where no other count is left) is withheld too, until no line has exactly one;
- a KPI figure measured on 1 to 4 cases or meetings is shown as "fewer than 5 measured".
"""

from __future__ import annotations

import copy

SMALL = range(1, 5)  # the counts that are never published
FEWER = "fewer than 5"
WITHHELD = "withheld"
RULE = ("Counts of 1 to 4 are shown as “fewer than 5”; where a total would give such a "
        "count away, a further count is withheld. KPI figures measured on fewer than 5 are "
        "not shown.")


def suppressed_cells(grid: list[list[int]], *, totals: bool) -> dict[tuple[int, int], str]:
    """The cells of `grid` to hide, each FEWER (primary) or WITHHELD (secondary). With
    `totals`, the last column holds each row's total and the last row each column's."""
    hidden = {(r, c): FEWER for r, row in enumerate(grid) for c, value in enumerate(row)
              if value in SMALL}
    if not totals:
        return hidden
    rows, columns = len(grid), len(grid[0]) if grid else 0
    lines = [[(r, c) for c in range(columns)] for r in range(rows)]
    lines += [[(r, c) for r in range(rows)] for c in range(columns)]
    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(1 for cell in line if cell in hidden) != 1:
                continue
            # The smallest count left in the line, a total last (the line's last cell).
            inner, total = line[:-1], line[-1]
            open_cells = [cell for cell in inner if cell not in hidden]
            candidates = ([cell for cell in open_cells if grid[cell[0]][cell[1]] > 0]
                          or ([total] if total not in hidden else []) or open_cells)
            if not candidates:
                continue
            cell = min(candidates, key=lambda rc: (grid[rc[0]][rc[1]], rc))
            hidden[cell] = WITHHELD
            changed = True
    return hidden


def published(table: dict) -> dict:
    """The table as published: small cells and what would give them away hidden."""
    shown = copy.deepcopy(table)
    if table["kind"] == "rates":
        for row in shown["rows"]:
            row["values"] = [{**value, "numerator": None, "rate": None,
                              "withheld": FEWER + " measured"}
                             if value["denominator"] in SMALL else value
                             for value in row["values"]]
        return shown
    grid = [list(row["values"]) for row in table["rows"]]
    for (r, c), why in suppressed_cells(grid, totals=table["total"]).items():
        shown["rows"][r]["values"][c] = why
    return shown
