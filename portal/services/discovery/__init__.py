"""Finding and reading public data: the catalog lists and the table reads (the table of a
version, its columnar file)."""


def configure(config):
    """Apply the settings of the table, its files and stored exports (once per app)."""
    from portal.db import columnar
    from portal.services.discovery import downloads, table, table_cache, table_files

    columnar.configure(
        config.get("COLUMNAR_DIR"),
        cap=config.get("COLUMNAR_CACHE_MB", 4096) * 1024 * 1024,
        wait=config.get("BUILD_WAIT_SECONDS", 30),
        store_cap=config.get("COLUMNAR_STORE_MB", 51200) * 1024 * 1024,
    )
    table_files.configure(
        config.get("TABLE_FILE_AFTER_PUBLISH", "thread"), config.get("TABLE_SEGMENTS_MAX", 16)
    )
    table.configure(config.get("TABLE_QUERY_SECONDS"))
    table_cache.configure(config.get("TABLE_ANSWERS_KEPT", 256))
    downloads.configure(
        cap=config.get("EXPORT_STORE_MB", 20480) * 1024 * 1024,
        wait=config.get("BUILD_WAIT_SECONDS", 30),
        store=config.get("EXPORT_STORE_AFTER_BUILD", "thread"),
    )
