"""The period report and the as-run log as XLSX (openpyxl) and CSV (UTF-8 with BOM, which Excel opens right)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import datetime

from station.accounting.report_table import ReportTable

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Excel and LibreOffice run a cell starting with these as a formula: a bulletin titled "=HYPERLINK(...)" or a
# node's detail "=cmd|' /C calc'!A0" must reach the monitor's spreadsheet as text, never as a live formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """Text that a spreadsheet would evaluate gets a leading apostrophe (shown as text); numbers, dates and
    other values pass unchanged, so "-5" typed as a number stays a number."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_row(row: Iterable[object]) -> list[object]:
    return [safe_cell(v) for v in row]


def table_csv(table: ReportTable) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(safe_row([table.title]))
    writer.writerow(safe_row(table.header()))
    writer.writerows(safe_row(r) for r in table.values())
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def table_xlsx(table: ReportTable, targets: list[list[object]] | None = None, generated: datetime | None = None,
               ) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "Báo cáo"
    ws.append(safe_row([table.title]))
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([f"Kỳ báo cáo: {table.period.start:%d/%m/%Y} – {table.period.end:%d/%m/%Y}"
               + (f" · lập lúc {generated:%d/%m/%Y %H:%M}" if generated else "")])
    ws.append([])
    ws.append(safe_row(table.header()))
    for cell in ws[4]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in table.values():
        ws.append(safe_row(row))
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "B5"
    for i in range(1, len(table.header()) + 1):
        ws.column_dimensions[get_column_letter(i)].width = 24 if i == 1 else 14
    if targets:
        ts = wb.create_sheet("Chỉ tiêu")
        ts.append(["Kế hoạch", "Chỉ tiêu", "Phạm vi", "Kỳ", "Chỉ tiêu giao", "Đã đạt", "Tỷ lệ (%)",
                   "Cần đạt đến nay"])
        for cell in ts[1]:
            cell.font = Font(bold=True)
        for row in targets:
            ts.append(safe_row(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


ASRUN_HEADER = ["Bản tin", "Mức ưu tiên", "Cụm loa", "Thôn", "Giờ theo lịch", "Bắt đầu thực tế", "Lần phát",
                "Kết quả", "Giây yêu cầu", "Giây đã phát", "Ghi chú"]


def rows_csv(header: list[str], rows: Iterable[list[object]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(safe_row(header))
    writer.writerows(safe_row(r) for r in rows)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def rows_xlsx(title: str, header: list[str], rows: Iterable[list[object]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title[:31])
    ws.append(safe_row(header))
    for row in rows:
        ws.append(safe_row(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
