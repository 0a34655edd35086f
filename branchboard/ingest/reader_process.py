"""Entry point of the workbook reader process (see workbook.py): `python -m branchboard.ingest.reader_process`.

A module of its own, so that the reader's answer pickles its classes under their real module, not `__main__`.
"""

from branchboard.ingest.workbook import reader_main

if __name__ == "__main__":
    reader_main()
