"""Render every tab of the main window (and the login and lock pages) offscreen to PNG.

    python tools/screenshots.py [OUT_DIR]

Builds a small demo book in a temporary folder, logs in as the teller and as the auditor on a
read-only copy, and writes one PNG per screen so a person can look at them.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

END = dt.date(2026, 11, 29)


def _settle(app: QApplication, worker, rounds: int = 20) -> None:  # noqa: ANN001
    for _ in range(rounds):
        worker.wait()
        app.processEvents()


def _wait(app: QApplication, worker, seconds: float) -> None:  # noqa: ANN001
    """Let timers fire (a record panel loads a moment after the choice) and the worker end."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        worker.wait()
        app.processEvents()
        time.sleep(0.02)


def _financing(app: QApplication, worker, window, session, save) -> None:  # noqa: ANN001
    """The Pembiayaan tab with a financing in arrears chosen, and the application form."""
    from bmt_desktop.gui.tabs.financing_apply import ApplicationDialog
    from bmt_desktop.gui.tabs.financing_tab import FinancingTab

    tab = next(window.tabs.widget(i) for i in range(window.tabs.count())
               if isinstance(window.tabs.widget(i), FinancingTab))
    window.tabs.setCurrentWidget(tab)
    _wait(app, worker, 0.5)
    late = [row for row in tab.list.rows() if row.days_overdue] or tab.list.rows()
    if late:
        tab.show_financing(late[0].id)
        _wait(app, worker, 0.8)
        tab.panel.pages.setCurrentIndex(1)  # the schedule, the late instalments in red
        _wait(app, worker, 0.2)
    save(window, "03b-pembiayaan-rincian")
    dialog = ApplicationDialog(session, worker, window, kube_id=1)
    dialog.show()
    _wait(app, worker, 0.5)
    dialog.amount.edit.setText("5000000")
    dialog.purpose.setText("Modal usaha kelompok")
    _wait(app, worker, 0.3)
    save(dialog, "03c-pengajuan-pembiayaan")
    dialog.close()


def _reports(app: QApplication, worker, window, book, save) -> None:  # noqa: ANN001
    """The Laporan tab with the balance sheet and the collectibility report shown, the batch
    statements dialog, and a manager's month-end dialog with its pre-check."""
    from bmt_desktop.gui.tabs.month_end_dialog import MonthEndDialog
    from bmt_desktop.gui.tabs.report_batch import StatementBatchDialog
    from bmt_desktop.services.auth import login
    from bmt_desktop.services.demo import DEMO_PASSWORD

    tab = window.reports
    window.tabs.setCurrentWidget(tab)
    for name, shot in (("balance-sheet", "05b-laporan-neraca"),
                       ("collectibility", "05c-laporan-kolektibilitas")):
        tab.choose(name)
        tab.page.show_report()
        _wait(app, worker, 0.5)
        save(window, shot)
    batch = StatementBatchDialog(window.session, worker, window)
    batch.show()
    _wait(app, worker, 0.2)
    save(batch, "05d-rekening-koran-massal")
    batch.close()
    manager = login(book, "manajer", DEMO_PASSWORD)
    manager.today = END
    closing = MonthEndDialog(manager, worker)
    closing.show()
    _wait(app, worker, 0.5)
    save(closing, "05e-tutup-bulan")
    closing.close()


def render(out_dir: Path) -> list[Path]:
    from bmt_desktop.gui.login import LoginDialog
    from bmt_desktop.gui.main_window import MainWindow
    from bmt_desktop.gui.page_setup import DocumentKind
    from bmt_desktop.gui.pdf_preview import PdfPreviewDialog
    from bmt_desktop.gui.qt_translator import CatalogTranslator
    from bmt_desktop.gui.settings import AppSettings
    from bmt_desktop.gui.worker import Worker
    from bmt_desktop.services import drawer, maal, savings
    from bmt_desktop.services.auth import login
    from bmt_desktop.services.demo import DEMO_PASSWORD, build_demo
    from bmt_desktop.services.maintenance import check_report_pdf
    from bmt_desktop.services.office import get_profile
    from bmt_desktop.store.book import open_book

    app = QApplication.instance() or QApplication([])
    app.installTranslator(CatalogTranslator(app))
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        QCoreApplication.setOrganizationName("BMT Desktop Screenshots")
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tmp)
        path = Path(tmp) / "demo.bmt"
        build_demo(path, members=150, years=2, end=END).book.close()
        worker = Worker()

        def save(widget, name: str) -> None:  # noqa: ANN001
            target = out_dir / f"{name}.png"
            widget.grab().save(str(target))
            written.append(target)

        book = open_book(path)
        dialog = LoginDialog(get_profile(book).name, lambda u, p: login(book, u, p), worker,
                             LoginDialog.demo_hint())
        dialog.show()
        save(dialog, "00-login")
        session = login(book, "kasir", DEMO_PASSWORD)
        session.today = END
        # A working morning: the drawer open, a deposit, a withdrawal, a zakat receipt.
        drawer.open_drawer(session, 2_000_000)
        savings.deposit(session, "SS-000001", 1_500_000)
        savings.withdraw(session, "SS-000001", 250_000)
        maal.receive(session, "zakat", "H. Dadang Suryana", 250_000)
        window = MainWindow(session, get_profile(book), worker, AppSettings())
        window.resize(1180, 760)
        window.show()
        for index in range(window.tabs.count()):
            window.tabs.setCurrentIndex(index)
            _settle(app, worker)
            label = window.tabs.tabText(index).replace("&", "").lower()
            save(window, f"{index + 1:02d}-{label}")
        _financing(app, worker, window, session, save)
        _reports(app, worker, window, book, save)
        window.lock()
        save(window, "07-terkunci")
        window.close()
        book.close()

        frozen = open_book(path, read_only=True)
        auditor = login(frozen, "auditor", DEMO_PASSWORD)
        auditor.today = END
        window = MainWindow(auditor, get_profile(frozen), worker, AppSettings())
        window.resize(1180, 760)
        window.show()
        window.tabs.setCurrentWidget(window.reports)
        _settle(app, worker)
        save(window, "08-auditor-hanya-baca")
        window.reports.show_verify()
        window.reports.run_verify()
        _settle(app, worker, 60)
        save(window, "09-auditor-verifikasi")
        pdf = check_report_pdf(auditor, window.reports._check)
        (out_dir / "laporan-verifikasi.pdf").write_bytes(pdf)
        preview = PdfPreviewDialog(pdf, "Laporan verifikasi buku", DocumentKind.A4)
        preview.resize(900, 760)
        preview.show()
        deadline = time.monotonic() + 2.0  # QPdfView renders pages on its own thread
        while time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.02)
        save(preview, "10-pratinjau-cetak")
        preview.close()
        window.close()
        frozen.close()
        worker.wait()
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("out/screens")
    for png in render(target):
        print(png)
