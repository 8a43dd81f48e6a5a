"""Files in and out: seed plans (TOML), spreadsheet import and export, backups."""
