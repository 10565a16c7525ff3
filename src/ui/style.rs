//! Semantic styles. Colour is decided once (`--color`, `NO_COLOR`, a terminal) and passed in as
//! `on`; with it off every style is plain text.

/// What a piece of text means, not what it looks like.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// Success (`✔ No validation issues found`).
    Ok,
    Warning,
    Error,
    /// Notes and hints.
    Note,
    /// Headings and names.
    Emphasis,
}

impl Style {
    fn console(self) -> console::Style {
        let s = console::Style::new();
        match self {
            Style::Ok => s.green(),
            Style::Warning => s.yellow(),
            Style::Error => s.red().bold(),
            Style::Note => s.cyan(),
            Style::Emphasis => s.bold(),
        }
    }
}

/// `text` in `style` when `on`, else `text` unchanged.
pub fn paint(on: bool, style: Style, text: &str) -> String {
    if on {
        style
            .console()
            .force_styling(true)
            .apply_to(text)
            .to_string()
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn styles_are_plain_without_colour() {
        for style in [
            Style::Ok,
            Style::Warning,
            Style::Error,
            Style::Note,
            Style::Emphasis,
        ] {
            assert_eq!(paint(false, style, "text"), "text");
            let coloured = paint(true, style, "text");
            assert!(
                coloured.starts_with("\x1b[") && coloured.contains("text"),
                "{coloured:?}"
            );
        }
    }
}
