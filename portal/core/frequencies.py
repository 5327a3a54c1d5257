"""The update frequencies a dataset's passport declares: the one list every layer uses (the
passport's model and schemas, the monitoring thresholds, the DCAT mapping, the pages)."""

FREQUENCIES = ("daily", "weekly", "monthly", "quarterly", "semiannual", "annual", "irregular")
