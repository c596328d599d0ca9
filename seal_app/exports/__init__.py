"""The office's exports: tables of a round's applications, the schools, the sealed schools and
the audit log, as XLSX or as CSV for German spreadsheet programs."""
