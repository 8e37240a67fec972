"""The baseline an XLSX import is measured against: python-calamine (a Rust reader) opening the file and
reading its first sheet's rows into a list of Python values (nothing checked), as a whole process.

    python -m bench.xlsx_way XLSX_FILE
"""

import sys

from python_calamine import CalamineWorkbook

if __name__ == "__main__":
    book = CalamineWorkbook.from_path(sys.argv[1])
    rows = book.get_sheet_by_name(book.sheet_names[0]).to_python(skip_empty_area=False)
    print(len(rows) - 1)  # under the header
