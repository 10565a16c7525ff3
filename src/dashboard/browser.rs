//! Opening the system browser, only where someone can see it: never under CI, and on Linux and
//! the BSDs only with a display (`DISPLAY`, `WAYLAND_DISPLAY`) or a `BROWSER` to run.

/// Whether a browser could be shown, from the environment.
pub fn can_open(env: impl Fn(&str) -> Option<String>) -> bool {
    let set = |name: &str| env(name).is_some_and(|v| !v.is_empty());
    let ci = env("CI").is_some_and(|v| !v.is_empty() && v != "false" && v != "0");
    if ci {
        return false;
    }
    if set("BROWSER") {
        return true;
    }
    if cfg!(any(target_os = "macos", target_os = "windows")) {
        // An SSH session on a Mac has no one at the screen to see it.
        return !set("SSH_CONNECTION");
    }
    set("DISPLAY") || set("WAYLAND_DISPLAY")
}

/// Opens `url` in the system browser (`$BROWSER` first, as xdg-open does).
pub fn open(url: &str) -> Result<(), String> {
    webbrowser::open(url).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn no_browser_under_ci_or_without_a_display() {
        assert!(!can_open(env(&[("CI", "true"), ("DISPLAY", ":0")])));
        assert!(can_open(env(&[("CI", "false"), ("BROWSER", "firefox")])));
        if cfg!(target_os = "linux") {
            assert!(!can_open(env(&[])));
            assert!(!can_open(env(&[("DISPLAY", "")])));
            assert!(can_open(env(&[("DISPLAY", ":0")])));
            assert!(can_open(env(&[("WAYLAND_DISPLAY", "wayland-0")])));
        }
    }
}
