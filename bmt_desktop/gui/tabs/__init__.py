"""The main window's tabs; each gets the session and the worker and calls services only."""
