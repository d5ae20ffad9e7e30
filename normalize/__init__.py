"""Text and value normalisation for jxmb (see SCHEMA.md, "Normalisation rules")."""
