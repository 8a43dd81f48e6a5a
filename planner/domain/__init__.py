"""Pure domain rules: scoring, schedules, text. No SQL, no Textual, no Rich."""
