"""Plan database: engine and sessions, tables, unit of work, migrations."""
