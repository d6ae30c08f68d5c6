//! Git commit hashes.

pub fn is_git_hash(s: &str) -> bool {
    (s.len() == 7 || s.len() == 40)
        && s.bytes()
            .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c))
}
