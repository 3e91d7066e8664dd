//! The result of a diff: classified [`Change`]s, their [`Level`]s, and the
//! [`Report`] that holds them in a fixed order.

use std::cmp::Ordering;
use std::fmt;

/// How much a change matters to an existing client (and to code generated
/// from the old document).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Level {
    /// Nothing an existing client does is affected: additions, relaxations,
    /// documentation.
    Info,
    /// May break some clients, or breaks only clients that relied on
    /// something optional.
    Warning,
    /// Breaks existing clients on the wire, or breaks code generated from the
    /// old document at compile time.
    Breaking,
}

impl Level {
    /// The lower-case name used in every output format: `breaking`,
    /// `warning` or `info`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Info => "info",
            Level::Warning => "warning",
            Level::Breaking => "breaking",
        }
    }

    /// Parses [`Level::as_str`]'s names.
    pub fn parse(name: &str) -> Option<Level> {
        match name {
            "info" => Some(Level::Info),
            "warning" => Some(Level::Warning),
            "breaking" => Some(Level::Breaking),
            _ => None,
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One classified difference between the old and the new document.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Change {
    /// The rule that found it (kebab-case; oasdiff's id where oasdiff has
    /// the rule). Every id is listed by [`crate::rules::catalogue`].
    pub id: String,
    /// How much it matters.
    pub level: Level,
    /// The operation it concerns, as `"METHOD /path"` (upper-case method,
    /// the path as the new document spells it, or the old one for removed
    /// operations); `None` for document-level changes such as a renamed
    /// component schema.
    pub operation: Option<String>,
    /// A JSON pointer to the changed thing. It points into the **new**
    /// document, except for rules whose subject no longer exists there
    /// (removals: see [`crate::rules::RuleInfo::pointer_in`]), which point
    /// into the **old** one. Inside an operation the pointer follows the
    /// operation's own path through the schema, stepping through `$ref`s as
    /// if they were inlined (like JSON Schema's evaluation path), so a change
    /// to a shared component gets a distinct pointer per operation.
    pub pointer: String,
    /// A one-line, human-readable description.
    pub message: String,
}

impl Change {
    fn sort_key(&self) -> (&str, &str, &str, &str) {
        (
            self.operation.as_deref().unwrap_or(""),
            &self.pointer,
            &self.id,
            &self.message,
        )
    }
}

impl PartialOrd for Change {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Change {
    /// Document-level changes first, then by operation, pointer, id, message.
    fn cmp(&self, other: &Self) -> Ordering {
        self.operation
            .is_some()
            .cmp(&other.operation.is_some())
            .then_with(|| self.sort_key().cmp(&other.sort_key()))
            .then_with(|| self.level.cmp(&other.level))
    }
}

/// Counts of changes per level.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Changes at [`Level::Breaking`].
    pub breaking: usize,
    /// Changes at [`Level::Warning`].
    pub warning: usize,
    /// Changes at [`Level::Info`].
    pub info: usize,
}

impl Summary {
    /// The number of changes at `level` or above.
    pub fn at_least(&self, level: Level) -> usize {
        match level {
            Level::Breaking => self.breaking,
            Level::Warning => self.breaking + self.warning,
            Level::Info => self.breaking + self.warning + self.info,
        }
    }

    /// All changes.
    pub fn total(&self) -> usize {
        self.at_least(Level::Info)
    }

    /// Adds `other`'s counts to these.
    pub fn add(&mut self, other: Summary) {
        self.breaking += other.breaking;
        self.warning += other.warning;
        self.info += other.info;
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} breaking, {} warning, {} info",
            self.breaking, self.warning, self.info
        )
    }
}

/// Every change found, sorted (document-level changes first, then by
/// operation, pointer and id) and without duplicates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// The changes, in their fixed order.
    pub changes: Vec<Change>,
}

impl Report {
    /// Sorts and de-duplicates `changes`: changes that differ only in
    /// their level are one change, at the highest of their levels.
    pub fn new(mut changes: Vec<Change>) -> Report {
        changes.sort();
        changes.dedup_by(|later, kept| {
            let same = later.id == kept.id
                && later.operation == kept.operation
                && later.pointer == kept.pointer
                && later.message == kept.message;
            if same {
                kept.level = kept.level.max(later.level);
            }
            same
        });
        Report { changes }
    }

    /// Counts per level.
    pub fn summary(&self) -> Summary {
        let mut summary = Summary::default();
        for change in &self.changes {
            match change.level {
                Level::Breaking => summary.breaking += 1,
                Level::Warning => summary.warning += 1,
                Level::Info => summary.info += 1,
            }
        }
        summary
    }

    /// True when no change was found.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// The highest level of any change, `None` when there is none.
    pub fn max_level(&self) -> Option<Level> {
        self.changes.iter().map(|change| change.level).max()
    }

    /// Whether any change is at `level` or above.
    pub fn has_at_least(&self, level: Level) -> bool {
        self.changes.iter().any(|change| change.level >= level)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(operation: Option<&str>, pointer: &str, id: &str, level: Level) -> Change {
        Change {
            id: id.into(),
            level,
            operation: operation.map(Into::into),
            pointer: pointer.into(),
            message: String::new(),
        }
    }

    #[test]
    fn order_is_document_level_first_then_operation_pointer_id() {
        let report = Report::new(vec![
            change(Some("POST /b"), "/paths/~1b/post", "z", Level::Info),
            change(Some("GET /a"), "/paths/~1a/get/x", "b", Level::Breaking),
            change(
                None,
                "/components/schemas/X",
                "component-schema-renamed",
                Level::Breaking,
            ),
            change(Some("GET /a"), "/paths/~1a/get/x", "a", Level::Warning),
            change(Some("GET /a"), "/paths/~1a/get/x", "a", Level::Warning),
        ]);
        let ids: Vec<&str> = report.changes.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["component-schema-renamed", "a", "b", "z"]);
        assert_eq!(
            report.summary(),
            Summary {
                breaking: 2,
                warning: 1,
                info: 1
            }
        );
        assert_eq!(report.max_level(), Some(Level::Breaking));
        assert_eq!(report.summary().at_least(Level::Warning), 3);
    }

    #[test]
    fn duplicates_differing_in_level_keep_the_highest() {
        for levels in [
            [Level::Info, Level::Breaking, Level::Warning],
            [Level::Breaking, Level::Info, Level::Warning],
            [Level::Warning, Level::Info, Level::Breaking],
        ] {
            let report = Report::new(
                levels
                    .iter()
                    .map(|&level| change(Some("GET /a"), "/paths/~1a/get", "x", level))
                    .collect(),
            );
            assert_eq!(report.changes.len(), 1);
            assert_eq!(report.changes[0].level, Level::Breaking, "{levels:?}");
        }
    }

    #[test]
    fn levels_parse_and_order() {
        for level in [Level::Info, Level::Warning, Level::Breaking] {
            assert_eq!(Level::parse(level.as_str()), Some(level));
        }
        assert!(Level::Breaking > Level::Warning && Level::Warning > Level::Info);
        assert_eq!(Level::parse("error"), None);
    }
}
