"""The open-data API: JSON and CSV answers from the same read side as the pages."""
