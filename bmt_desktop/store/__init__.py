"""Everything that knows the book is an SQLite file: connection, models, ledger, chain, backup."""
