"""The write side: the functions that change racing data and the marks every write makes (models/base.py)."""
