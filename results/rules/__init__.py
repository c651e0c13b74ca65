"""The rules of racing, as plain functions over plain data.

Nothing in this package imports Django or the rest of the project, so every rule
is tested without a database and called alike by the admin, the importers, the
pages and the API.
"""
