//! The unified diff `wharf check --diff` prints: what `--fix` would change, file by file, in
//! the format `patch` and `git apply` read.

use similar::TextDiff;

/// The unified diff (three lines of context) from `old` to `new`, under the headers
/// `--- a/<name>` and `+++ b/<name>`. Empty when the texts are equal. A file without a final
/// newline gets the `\ No newline at end of file` marker.
pub fn unified(name: &str, old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .missing_newline_hint(true)
        .header(&format!("a/{name}"), &format!("b/{name}"))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_one_line_change() {
        let d = unified("Dockerfile", "FROM a\nRUN x\n", "FROM a\nRUN y\n");
        assert_eq!(
            d,
            "--- a/Dockerfile\n+++ b/Dockerfile\n@@ -1,2 +1,2 @@\n FROM a\n-RUN x\n+RUN y\n"
        );
    }

    #[test]
    fn equal_texts_give_nothing() {
        assert_eq!(unified("f", "a\n", "a\n"), "");
    }

    #[test]
    fn a_missing_final_newline_is_marked() {
        let d = unified("f", "a", "b");
        assert!(d.contains("\\ No newline at end of file"), "{d}");
    }
}
