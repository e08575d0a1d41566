"""ReportLab documents: receipts, passbook lines, statements, reports."""
