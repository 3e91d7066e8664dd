//! JSON Pointer (RFC 6901) helpers for naming places in a document.

/// Escapes one reference token: `~` → `~0`, `/` → `~1`.
pub fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Reverses [`escape`].
pub fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// Appends `token` (escaped) to `pointer`.
pub fn push(pointer: &str, token: &str) -> String {
    format!("{pointer}/{}", escape(token))
}

/// Builds a pointer from unescaped tokens.
///
/// ```
/// assert_eq!(spec_compat::pointer::join(["paths", "/v1/files/list", "get"]), "/paths/~1v1~1files~1list/get");
/// ```
pub fn join<'a>(tokens: impl IntoIterator<Item = &'a str>) -> String {
    tokens
        .into_iter()
        .fold(String::new(), |acc, token| push(&acc, token))
}

/// The schema name a local `$ref` (`#/components/schemas/Name`) points at.
pub fn schema_ref_name(reference: &str) -> Option<String> {
    reference
        .strip_prefix("#/components/schemas/")
        .filter(|name| !name.contains('/'))
        .map(unescape)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_round_trip() {
        let token = "a/b~c";
        assert_eq!(escape(token), "a~1b~0c");
        assert_eq!(unescape(&escape(token)), token);
        assert_eq!(
            schema_ref_name("#/components/schemas/File"),
            Some("File".into())
        );
        assert_eq!(schema_ref_name("#/components/responses/File"), None);
    }
}
