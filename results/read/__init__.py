"""The read side: what each page shows, built from named QuerySet methods, the loaders and the rules."""
