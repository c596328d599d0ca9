"""CSV files of paper-era seals, as an office's spreadsheet writes them."""

from __future__ import annotations

from datetime import date, timedelta

HEADER = ("Schulnummer", "Schule", "Ort", "Urkunde", "Verliehen am", "Gültig bis", "Bemerkung")


def csv_bytes(
    rows: list[tuple[str, ...]],
    header: tuple[str, ...] = HEADER,
    delimiter: str = ";",
    encoding: str = "utf-8-sig",
) -> bytes:
    lines = [delimiter.join(header), *(delimiter.join(row) for row in rows)]
    return "\r\n".join(lines).encode(encoding)


def forty_rows(today: date) -> tuple[list[tuple[str, ...]], list[str]]:
    """40 rows of paper-era seals, valid today; rows 5, 17 and 30 of the data are bad (an
    unreadable date, no number, valid until before the award). Returns the rows and the
    numbers that will be imported."""
    rows, good = [], []
    issued = today - timedelta(days=400)
    for index in range(40):
        number = f"GS-{2013 + index % 10}/{index:02d}"
        row = (
            f"{76000 + index}",
            f"Grundschule Papierweg {index}",
            f"Papierstadt {index % 4}",
            number,
            issued.strftime("%d.%m.%Y"),
            "",
            "",
        )
        if index == 4:
            row = (*row[:4], "31.02.2015", "", "")
        elif index == 16:
            row = (*row[:3], "", *row[4:])
        elif index == 29:
            row = (*row[:5], (issued - timedelta(days=1)).strftime("%d.%m.%Y"), "")
        else:
            good.append(number)
        rows.append(row)
    return rows, good
