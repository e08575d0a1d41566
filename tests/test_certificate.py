"""The training certificate (sertifikat): printed for a participant who completed a session,
read back with pypdf; refused, with nothing written, for anyone else; and from the command
line."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from bmt_desktop.cli import main
from bmt_desktop.domain.errors import PermissionDenied, ValidationError
from bmt_desktop.i18n import _
from bmt_desktop.printing.certificate import format_date_range
from bmt_desktop.services import training, training_reports
from bmt_desktop.services.session import Session
from bmt_desktop.services.training import Score
from bmt_desktop.store.book import Book
from tests.conftest import demo_session, session_of
from tests.test_training_service import attend, days_of, make_world, plan, snapshot

PRINTED = dt.datetime(2026, 11, 29, 10, 30)


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    return " ".join(reader.pages[0].extract_text().split())


@pytest.fixture
def manager(book: Book) -> Session:
    return session_of(book, "manajer")


@pytest.fixture
def register(manager: Session) -> dict[str, int]:
    """A four-day skills practice: Siti every day (scores 40 → 85), Euis three days, Asep
    not at all; a planned session still to come."""
    siti, euis, asep, _ujang = make_world(manager).members
    session_id = plan(manager, "2026-10-05", "2026-10-08", ("USAHA", "PRINSIP-KUBE"))
    people = {name: training.add_participant(manager, session_id, member)
              for name, member in (("siti", siti), ("euis", euis), ("asep", asep))}
    attend(manager, session_id, people["siti"], days_of("2026-10-05", 4))
    attend(manager, session_id, people["euis"], days_of("2026-10-05", 3))
    training.save_register(manager, session_id, scores=[Score(people["siti"], 40, 85)])
    later = plan(manager, "2026-11-27", "2026-12-01", title="Praktik lanjutan")
    people["later"] = training.add_participant(manager, later, siti)
    attend(manager, later, people["later"], days_of("2026-11-27", 3))
    return {**people, "session": session_id, "later_session": later}


@pytest.mark.parametrize(("start", "end", "shown"), [
    (dt.date(2026, 2, 18), dt.date(2026, 2, 21), "18–21 Februari 2026"),
    (dt.date(2026, 2, 27), dt.date(2026, 3, 3), "27 Februari – 3 Maret 2026"),
    (dt.date(2025, 12, 30), dt.date(2026, 1, 2), "30 Desember 2025 – 2 Januari 2026"),
    (dt.date(2026, 10, 5), dt.date(2026, 10, 5), "5 Oktober 2026"),
])
def test_the_dates_of_a_session(start: dt.date, end: dt.date, shown: str) -> None:
    assert format_date_range(start, end) == shown


def test_the_certificate_of_a_participant_who_completed(manager: Session,
                                                        register: dict[str, int]) -> None:
    pdf = training_reports.certificate_pdf(manager, register["siti"], PRINTED)

    text = text_of(pdf)
    assert _("CERTIFICATE") in text
    assert "Siti Aminah" in text and "AG-000001" in text and "Kube Mawar" in text
    assert "Praktik keterampilan warung sayuran" in text
    assert "5–8 Oktober 2026" in text
    assert "Kios sayur Bu Entin" in text and "BMT Sukajaya" in text and "Ibu Entin" in text
    assert "Praktik keterampilan usaha" in text and "Prinsip Kube" in text
    assert "4" in text and "100 %" in text and "85" in text
    assert f"0001/{register['siti']:05d}/PLT/2026" in text
    assert "BMT Uji Coba" in text  # the letterhead
    assert _("DEMO") not in text
    # the same input gives the same bytes
    assert training_reports.certificate_pdf(manager, register["siti"], PRINTED) == pdf


@pytest.mark.parametrize(("who", "words"), [
    ("euis", ("Euis Nurhayati", "3", "75 %", "80 %")),
    ("asep", ("Asep Saepudin", "0", "0 %")),
    ("later", ("1 Desember 2026",)),
])
def test_no_certificate_for_someone_who_did_not_complete(book: Book, manager: Session,
                                                         register: dict[str, int], who: str,
                                                         words: tuple[str, ...]) -> None:
    before = snapshot(book)
    with pytest.raises(ValidationError) as refused:
        training_reports.certificate_pdf(manager, register[who], PRINTED)
    for word in words:
        assert word in refused.value.message
    assert snapshot(book) == before


def test_no_certificate_for_a_stranger_or_from_the_auditor(book: Book, manager: Session,
                                                           register: dict[str, int]) -> None:
    with pytest.raises(ValidationError):
        training_reports.certificate_pdf(manager, 9_999)
    with pytest.raises(ValidationError):
        training_reports.certificate_pdf(manager, register["siti"],
                                         session_id=register["later_session"])
    with pytest.raises(PermissionDenied):
        training_reports.certificate_pdf(session_of(book, "auditor"), register["siti"])


def test_the_demo_certificate_is_marked_demo(demo: Book) -> None:
    manager = demo_session(demo, "manajer")
    management = next(r for r in training.list_sessions(manager) if r.kind == "manajemen")
    person = next(p for p in training.session_detail(manager, management.id).participants
                  if p.completed and p.role == "pengurus")

    text = text_of(training_reports.certificate_pdf(manager, person.id, PRINTED))

    assert _("DEMO") in text and person.name in text
    assert "Kepemimpinan" in text and "Rencana kerja tindak lanjut" in text
    assert "Tim PINBUK Provinsi Banten" in text


def test_the_certificate_from_the_command_line(book: Book, manager: Session,
                                               register: dict[str, int], tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    path = book.path
    book.close()
    out = tmp_path / "sertifikat.pdf"
    args = ["print", "certificate", "--db", str(path), "--session", str(register["session"]),
            "--participant"]

    assert main([*args, str(register["siti"]), "--out", str(out)]) == 0
    assert "Siti Aminah" in text_of(out.read_bytes())
    assert main([*args, str(register["euis"]), "--out", str(tmp_path / "x.pdf")]) == 2
    assert "Euis Nurhayati" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()
