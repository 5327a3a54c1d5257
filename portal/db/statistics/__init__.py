"""Storage of statistics: counters, visitor marks, monitoring states, precomputed tables.

The embedded server answers an equality, `$in` or range on one indexed field from the index and
reads the whole collection for a sort, a count or an aggregation, so everything a statistics
endpoint reads is a document fetched by `_id`: counters incremented atomically when something
is counted, and tables written whole, in chunks of rows, by the periodic computation.
"""
