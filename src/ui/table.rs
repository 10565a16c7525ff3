//! Tables in one house style: on a terminal, comfy-table with condensed UTF-8 borders that wrap
//! to the terminal's width; without one, plain columns aligned by two spaces, with no trailing
//! spaces, so `grep`, `cut` and diffs work.

use comfy_table::{Attribute, Cell, ContentArrangement, presets};

use super::Terminal;

pub struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new<S: Into<String>>(header: impl IntoIterator<Item = S>) -> Table {
        Table {
            header: header.into_iter().map(Into::into).collect(),
            rows: Vec::new(),
        }
    }

    pub fn row<S: Into<String>>(&mut self, cells: impl IntoIterator<Item = S>) -> &mut Table {
        self.rows.push(cells.into_iter().map(Into::into).collect());
        self
    }

    /// The table for stdout on `term`, each line ending in `\n`.
    pub fn render(&self, term: &Terminal) -> String {
        let mut table = comfy_table::Table::new();
        if term.stdout_tty {
            table.load_preset(presets::UTF8_FULL_CONDENSED);
            table.set_content_arrangement(ContentArrangement::Dynamic);
            if let Some(width) = term.width {
                table.set_width(width);
            }
            // comfy-table styles the cells itself, so widths count visible characters only.
            if term.color {
                table.enforce_styling();
            } else {
                table.force_no_tty();
            }
            table.set_header(self.header.iter().map(|h| {
                let cell = Cell::new(h);
                if term.color {
                    cell.add_attribute(Attribute::Bold)
                } else {
                    cell
                }
            }));
        } else {
            table.load_preset(presets::NOTHING);
            table.set_content_arrangement(ContentArrangement::Disabled);
            table.force_no_tty();
            table.set_header(self.header.iter().map(Cell::new));
        }
        for row in &self.rows {
            table.add_row(row.iter().map(Cell::new));
        }
        if !term.stdout_tty {
            let last = self.header.len().saturating_sub(1);
            for (i, column) in table.column_iter_mut().enumerate() {
                column.set_padding((0, if i == last { 0 } else { 2 }));
            }
        }
        let mut out = String::new();
        for line in table.lines() {
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Table {
        let mut t = Table::new(["CODE", "LEVEL", "DESCRIPTION"]);
        t.row([
            "IST0001",
            "Error",
            "The analysis tool itself hit an unexpected condition.",
        ]);
        t.row(["MDK0001", "Warning", "A Service selects nothing."]);
        t
    }

    #[test]
    fn plain_columns_are_aligned_without_trailing_spaces() {
        let out = sample().render(&Terminal::plain());
        assert_eq!(
            out,
            "CODE     LEVEL    DESCRIPTION\n\
             IST0001  Error    The analysis tool itself hit an unexpected condition.\n\
             MDK0001  Warning  A Service selects nothing.\n"
        );
    }

    #[test]
    fn a_terminal_table_fits_its_width() {
        let term = Terminal {
            color: false,
            ..Terminal::forced(40)
        };
        let out = sample().render(&term);
        assert!(out.contains('│'), "{out}");
        for line in out.lines() {
            assert!(line.chars().count() <= 40, "{line:?} is wider than 40");
        }
    }
}
