-- Field collection sheets: a Kube's collection sheet exported as a spreadsheet for its next
-- meeting, filled in by the field mentor and imported back. Each exported sheet carries its
-- id (a uuid4); an import marks the sheet, so the same sheet is never posted twice.

CREATE TABLE field_sheet (
    id TEXT PRIMARY KEY CHECK (length(id) = 36),
    kube_id INTEGER NOT NULL REFERENCES kube(id),
    meeting_date TEXT NOT NULL CHECK (date(meeting_date) IS meeting_date),
    exported_by INTEGER NOT NULL REFERENCES user(id),
    exported_at TEXT NOT NULL,
    imported_at TEXT,
    imported_by INTEGER REFERENCES user(id),
    meeting_id INTEGER REFERENCES kube_meeting(id),
    journal_id INTEGER REFERENCES journal(id),
    CHECK ((imported_at IS NULL) = (imported_by IS NULL)),
    CHECK (imported_at IS NOT NULL OR (meeting_id IS NULL AND journal_id IS NULL))
) WITHOUT ROWID;
CREATE INDEX field_sheet_kube ON field_sheet(kube_id, meeting_date);

-- An imported sheet stays imported; no sheet is deleted (the audit log names each one).
CREATE TRIGGER field_sheet_imported_stays BEFORE UPDATE ON field_sheet
    WHEN OLD.imported_at IS NOT NULL
    BEGIN SELECT RAISE(ABORT, 'field_sheet: an imported sheet cannot be changed'); END;
CREATE TRIGGER field_sheet_no_delete BEFORE DELETE ON field_sheet
    BEGIN SELECT RAISE(ABORT, 'field_sheet: a sheet cannot be deleted'); END;

-- A financing brought in from the old books keeps its old number, once.
ALTER TABLE financing ADD COLUMN legacy_number TEXT;
CREATE UNIQUE INDEX financing_legacy_number ON financing(legacy_number)
    WHERE legacy_number IS NOT NULL;
