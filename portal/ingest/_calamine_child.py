"""Child process reading an xlsx with calamine: workbook bytes on stdin, pickles on stdout."""

# Run as a script with the standard library and python_calamine only, so that a hostile
# workbook (calamine allocates rows x columns for a sheet, whatever the file size) can
# exhaust no more than this process's own address-space limit.
import io
import pickle
import resource
import sys
from itertools import islice

MAP_SHEET = "_columns"
MAP_ROWS = 20_000
BATCH = 2_000
BATCH_CELLS = 40_000  # a wide sheet sends shorter batches: the parent holds one at a time
EXIT_UNREADABLE = 3
EXIT_MEMORY = 4
EXIT_TOO_MANY_ROWS = 5


def main(memory_limit, max_rows):
    """Read stdin, write the sheet plan then row batches to stdout."""
    resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
    from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    out = sys.stdout.buffer
    book = CalamineWorkbook.from_filelike(io.BytesIO(sys.stdin.buffer.read()))
    data_name = None
    for meta in book.sheets_metadata:
        if meta.typ == SheetTypeEnum.WorkSheet and meta.visible == SheetVisibleEnum.Visible:
            data_name = meta.name
            break
    column_rows = None
    if MAP_SHEET in book.sheet_names:
        map_sheet = book.get_sheet_by_name(MAP_SHEET)
        column_rows = list(islice(map_sheet.iter_rows(), MAP_ROWS))
    if data_name is None:
        pickle.dump({"sheet": None, "columns": column_rows}, out)
        return 0
    sheet = book.get_sheet_by_name(data_name)
    start = sheet.start
    # iter_rows starts at row 1 but at the first used column, so the offset is passed on
    plan = {"sheet": data_name, "start_col": start[1] if start else 0, "columns": column_rows}
    pickle.dump(plan, out)
    header_at = None
    batch = []
    for index, row in enumerate(sheet.iter_rows()):
        empty = all(v == "" for v in row)
        if header_at is None and not empty:
            header_at = index
        if header_at is not None and index - header_at > max_rows:
            if not empty:
                # the parent reports it: the rest of the sheet is not worth sending
                sys.stderr.write(str(index + 1))
                return EXIT_TOO_MANY_ROWS
            continue
        batch.append(row)
        if len(batch) >= BATCH or len(batch) * len(row) >= BATCH_CELLS:
            pickle.dump(batch, out, protocol=pickle.HIGHEST_PROTOCOL)
            batch = []
    if batch:
        pickle.dump(batch, out, protocol=pickle.HIGHEST_PROTOCOL)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(int(sys.argv[1]), int(sys.argv[2])))
    except MemoryError:
        sys.exit(EXIT_MEMORY)
    except BaseException as exc:  # calamine raises its own errors and pyo3 panics
        if isinstance(exc, SystemExit):
            raise
        sys.stderr.write(f"{type(exc).__name__}: {exc}"[:500])
        sys.exit(EXIT_UNREADABLE)
