"""Reading exported files back as a spreadsheet program would."""

from __future__ import annotations

import codecs
import csv
import io

import openpyxl


def xlsx_sheet(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data)).active


def xlsx_rows(data: bytes) -> list[list]:
    return [[cell.value for cell in row] for row in xlsx_sheet(data).iter_rows()]


def csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(codecs.BOM_UTF8), "Excel needs the byte order mark to read UTF-8"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def download(client, url: str, **params) -> bytes:
    answer = client.get(url, query_string=params)
    assert answer.status_code == 200, answer.get_data(as_text=True)[:500]
    assert answer.headers["Content-Disposition"].startswith("attachment;")
    assert answer.headers["Cache-Control"] == "no-store"
    return answer.data
