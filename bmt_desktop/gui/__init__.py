"""PySide6 widgets; they call services, never the ORM."""
