"""The page cache: scopes, their versions, what a write invalidates, keys, single flight, rendering."""
