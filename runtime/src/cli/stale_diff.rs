//! What `openapi --check` prints when the committed document is stale: one unified-diff
//! hunk from the first line that differs to the last, with three lines of context around
//! it, at most [`MAX_LINES`] of it.
//!
//! A committed document is usually stale by one edit, where this is the exact diff. Two
//! edits far apart give one hunk spanning both, its unchanged middle shown as removed and
//! added: still where to look, and the command that regenerates the file is printed above
//! it. The semantic report (which change breaks which client) is `openapi diff`.

/// The most lines of a hunk printed; the rest is counted.
pub(super) const MAX_LINES: usize = 200;
/// Lines of context around the change.
const CONTEXT: usize = 3;

/// The diff from `old` to `new` (headers `--- old_name`, `+++ new_name`), empty when the
/// texts are equal.
pub(super) fn unified(old: &str, new: &str, old_name: &str, new_name: &str) -> String {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    if prefix == a.len() && prefix == b.len() {
        return String::new();
    }
    let start = prefix.saturating_sub(CONTEXT);
    let (a_end, b_end) = (a.len() - suffix, b.len() - suffix);
    let after = CONTEXT.min(suffix);
    let mut lines: Vec<String> = Vec::new();
    lines.extend(a[start..prefix].iter().map(|l| format!(" {l}")));
    lines.extend(a[prefix..a_end].iter().map(|l| format!("-{l}")));
    lines.extend(b[prefix..b_end].iter().map(|l| format!("+{l}")));
    lines.extend(a[a_end..a_end + after].iter().map(|l| format!(" {l}")));
    let a_len = a_end + after - start;
    let b_len = b_end + after - start;
    let mut out = format!(
        "--- {old_name}\n+++ {new_name}\n@@ -{} +{} @@\n",
        range(start, a_len),
        range(start, b_len)
    );
    for line in lines.iter().take(MAX_LINES) {
        out.push_str(line);
        out.push('\n');
    }
    if lines.len() > MAX_LINES {
        out.push_str(&format!(
            "... {} more lines of this hunk\n",
            lines.len() - MAX_LINES
        ));
    }
    out
}

/// A hunk's range as unified diffs write it: the first line (1-based) and the count, the
/// line before when the count is 0.
fn range(start: usize, len: usize) -> String {
    match len {
        0 => format!("{start},0"),
        1 => format!("{}", start + 1),
        _ => format!("{},{len}", start + 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_changed_line_is_shown_with_three_lines_of_context() {
        let old = "a\nb\nc\nd\ne\nf\ng\nh\n";
        let new = "a\nb\nc\nd\nE\nf\ng\nh\n";
        assert_eq!(
            unified(old, new, "old", "new"),
            "--- old\n+++ new\n@@ -2,7 +2,7 @@\n b\n c\n d\n-e\n+E\n f\n g\n h\n"
        );
    }

    #[test]
    fn added_and_removed_lines_at_the_ends() {
        assert_eq!(
            unified("a\nb\n", "a\nb\nc\n", "old", "new"),
            "--- old\n+++ new\n@@ -1,2 +1,3 @@\n a\n b\n+c\n"
        );
        assert_eq!(
            unified("x\na\n", "a\n", "old", "new"),
            "--- old\n+++ new\n@@ -1,2 +1 @@\n-x\n a\n"
        );
        assert_eq!(
            unified("", "a\n", "old", "new"),
            "--- old\n+++ new\n@@ -0,0 +1 @@\n+a\n"
        );
    }

    #[test]
    fn equal_texts_give_nothing() {
        assert_eq!(unified("a\nb\n", "a\nb\n", "old", "new"), "");
    }

    #[test]
    fn a_huge_difference_is_cut_and_counted() {
        let old: String = (0..1000).map(|i| format!("{i}\n")).collect();
        let new: String = (0..1000).map(|i| format!("n{i}\n")).collect();
        let out = unified(&old, &new, "old", "new");
        assert_eq!(out.lines().count(), 3 + MAX_LINES + 1, "{out}");
        assert!(out.ends_with("... 1800 more lines of this hunk\n"), "{out}");
    }
}
