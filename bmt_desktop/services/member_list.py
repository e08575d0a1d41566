"""The member register as a list to export (XLSX, CSV, JSON or PDF through report_export)."""

from __future__ import annotations

from bmt_desktop.domain.permissions import Action
from bmt_desktop.i18n import _
from bmt_desktop.services import report_export
from bmt_desktop.services.report_model import Column, Report
from bmt_desktop.services.session import Session

_COLUMNS = ("number", "name", "nik", "sex", "birth_date", "kk_number", "rt", "rw", "desa",
            "kecamatan", "kabupaten", "phone", "occupation", "business_type",
            "household_size", "dtks", "monthly_income", "heir", "join_date", "status",
            "exit_date")


def members_report(session: Session) -> Report:
    """Every member, by number, with the member form's fields (Indonesian headers, as the
    member import reads them back)."""
    session.require(Action.LEDGER_VIEW, writes=False)
    labels = {"number": ("Nomor Anggota", "text", 1.0), "name": ("Nama", "text", 2.0),
              "nik": ("NIK", "text", 1.6), "sex": ("Jenis Kelamin (L/P)", "text", 0.5),
              "birth_date": ("Tanggal Lahir", "date", 1.0),
              "kk_number": ("Nomor KK", "text", 1.6), "rt": ("RT", "text", 0.4),
              "rw": ("RW", "text", 0.4), "desa": ("Desa/Kelurahan", "text", 1.0),
              "kecamatan": ("Kecamatan", "text", 1.0),
              "kabupaten": ("Kabupaten/Kota", "text", 1.0), "phone": ("Telepon", "text", 1.1),
              "occupation": ("Pekerjaan", "text", 1.0),
              "business_type": ("Jenis Usaha", "text", 1.0),
              "household_size": ("Jumlah Anggota Keluarga", "int", 0.6),
              "dtks": ("Terdaftar DTKS (ya/tidak)", "text", 0.6),
              "monthly_income": ("Penghasilan per Bulan", "money", 1.0),
              "heir": ("Ahli Waris", "text", 1.0), "join_date": ("Tanggal Masuk", "date", 1.0),
              "status": ("Status (aktif/calon)", "text", 0.6),
              "exit_date": ("Tanggal Keluar", "date", 1.0)}
    columns = [Column(key, *labels[key]) for key in _COLUMNS]
    rows = []
    for values in session.book.raw().execute(
            f"SELECT {', '.join(_COLUMNS)} FROM member ORDER BY number"):
        row = dict(zip(_COLUMNS, values, strict=True))
        row["dtks"] = "ya" if row["dtks"] else "tidak"
        rows.append(row)
    return Report("anggota", _("Member register"), session.today, session.today, columns, rows,
                  notes=[_("{n} members.").format(n=len(rows))], landscape=True)


def export_members(session: Session, fmt: str) -> bytes:
    """The member register in ``fmt`` (xlsx, csv, json or pdf)."""
    return report_export.render(session, members_report(session), fmt)
