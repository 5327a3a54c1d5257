"""Publishing: the write lock of a dataset and what happens around a new version."""
