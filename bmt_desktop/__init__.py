"""BMT Desktop: the books of one BMT office and its Kube empowerment programme."""

from __future__ import annotations

__version__ = "0.1.0"
APP_NAME = "BMT Desktop"
