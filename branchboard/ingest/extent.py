"""The part of a sheet that holds values, as a scan of the file finds it before calamine reads the sheet: calamine
builds a dense grid from the first to the last row and column holding a value, so this is what reading costs."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Extent:
    first_row: int = 0  # 1-based; 0 while no value was seen
    first_column: int = 0  # 1-based
    last_row: int = 0
    last_column: int = 0
    values: int = 0  # cells holding something
    hidden_rows: list[int] = field(default_factory=list)  # 1-based Excel row numbers

    @property
    def extent(self) -> int:
        """Cells in the grid calamine builds."""
        if not self.last_row:
            return 0
        return (self.last_row - self.first_row + 1) * (self.last_column - self.first_column + 1)

    def cell(self, row: int, column: int, count: int = 1, rows: int = 1) -> None:
        """A value at 1-based (row, column), or `count` values from there to the right over `rows` rows."""
        self.values += count * rows
        self.first_row = row if not self.first_row else min(self.first_row, row)
        self.first_column = column if not self.first_column else min(self.first_column, column)
        self.last_row = max(self.last_row, row + rows - 1)
        self.last_column = max(self.last_column, column + count - 1)
