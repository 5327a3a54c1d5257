"""Finding and reading public data: the catalog lists and the table reads."""
