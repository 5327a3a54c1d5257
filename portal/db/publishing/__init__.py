"""Publishing: version records, field snapshots and the write lease of a dataset."""
