"""Demo seals from the paper era, imported as the office would import its list: two for
demo schools (matched by their number), three for schools the import creates, one of them
long expired. Running the demo again imports nothing new (the numbers exist)."""

from __future__ import annotations

from datetime import date

from seal_app.auth.models import User
from seal_app.certificates import paper_import
from seal_app.local_time import local_today

HEADER = "Schulnummer;Schule;Ort;Urkunde;Verliehen am;Gültig bis;Bemerkung"


def seed_paper_seals(office: User) -> None:
    today = local_today()
    rows = [
        ("75007", "Regionale Schule Teterow", "Teterow", "RS-2021/03", _years_ago(today, 4), ""),
        (
            "75009",
            "Ostsee-Schule Kühlungsborn",
            "Kühlungsborn",
            "12/2022",
            _years_ago(today, 3),
            "",
        ),
        ("75101", "Grundschule Kritzmow", "Kritzmow", "GS-2023/07", _years_ago(today, 2), ""),
        (
            "75102",
            "Gymnasium Graal-Müritz",
            "Graal-Müritz",
            "GY-2024/02",
            _years_ago(today, 1),
            "Urkunde bei der Feier im Rathaus übergeben",
        ),
        ("75103", "Grundschule Tessin", "Tessin", "GS-2013/07", date(2013, 6, 14), ""),
    ]
    lines = [HEADER, *(";".join(_cells(row)) for row in rows)]
    paper_import.import_seals("\n".join(lines).encode(), "demo.csv", office, today)


def _years_ago(today: date, years: int) -> date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return date(today.year - years, 2, 28)


def _cells(row: tuple[str, str, str, str, date, str]) -> list[str]:
    number, name, town, certificate, issued, remark = row
    return [number, name, town, certificate, issued.strftime("%d.%m.%Y"), "", remark]
