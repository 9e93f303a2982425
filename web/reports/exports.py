"""The period report and the as-run log as XLSX (openpyxl) and CSV (UTF-8 with BOM, which Excel opens right)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import datetime

from flask_babel import gettext as _

from station.accounting.report_export import FORMULA_START as FORMULA_START
from station.accounting.report_export import XLSX_MIME as XLSX_MIME
from station.accounting.report_export import safe_cell as safe_cell
from station.accounting.report_export import safe_row
from web.i18n import N_
from web.notes import reason_rows
from web.reports.layout import ReportTable


def table_csv(table: ReportTable) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(safe_row([table.title]))
    writer.writerow(safe_row(table.header()))
    writer.writerows(safe_row(r) for r in table.values())
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def table_xlsx(table: ReportTable, targets: list[list[object]] | None = None, generated: datetime | None = None,
               reasons: list[tuple[str, str, int]] | None = None) -> bytes:
    """The report sheet (same header and values as the page), the reasons sheet in the page's words, targets."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = _("Báo cáo")[:31]
    ws.append(safe_row([table.title]))
    ws["A1"].font = Font(bold=True, size=13)
    start, end = table.period.start.strftime("%d/%m/%Y"), table.period.end.strftime("%d/%m/%Y")
    made = generated.strftime("%d/%m/%Y %H:%M") if generated else ""
    ws.append([_("Kỳ báo cáo: %(start)s – %(end)s", start=start, end=end)
               + (_(" · lập lúc %(when)s", when=made) if made else "")])
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
    if reasons:
        rs = wb.create_sheet(_("Lý do")[:31])
        rs.append([_(h) for h in REASON_HEADER])
        for cell in rs[1]:
            cell.font = Font(bold=True)
        for row in reason_rows(reasons):
            rs.append(safe_row(row))
        rs.column_dimensions["A"].width, rs.column_dimensions["B"].width = 16, 60
    if targets:
        ts = wb.create_sheet(_("Chỉ tiêu")[:31])
        ts.append([_("Kế hoạch"), _("Chỉ tiêu"), _("Phạm vi"), _("Kỳ"), _("Chỉ tiêu giao"), _("Đã đạt"), _("Tỷ lệ (%)"),
                   _("Cần đạt đến nay")])
        for cell in ts[1]:
            cell.font = Font(bold=True)
        for row in targets:
            ts.append(safe_row(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


ASRUN_HEADER = [N_("Bản tin"), N_("Mức ưu tiên"), N_("Cụm loa"), N_("Thôn"), N_("Giờ theo lịch"),
                N_("Bắt đầu thực tế"), N_("Lần phát"), N_("Kết quả"), N_("Giây yêu cầu"), N_("Giây đã phát"),
                N_("Ghi chú")]
REASON_HEADER = [N_("Kết quả"), N_("Lý do"), N_("Số lượt loa")]


def asrun_header() -> list[str]:
    return [_(h) for h in ASRUN_HEADER]


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
