//! The rules: one module per family, each documenting its rules with a
//! before/after example, and the [`catalogue`] of every rule id the engine
//! can report.
//!
//! | module | what it compares |
//! |---|---|
//! | [`operations`] | paths and operations removed/added, deprecation, `operationId` |
//! | [`security`] | the effective security requirements of an operation |
//! | [`parameters`] | parameters: added, removed, requiredness, then their schemas |
//! | [`request_body`] | the request body: added, removed, requiredness, media types |
//! | [`responses`] | status codes, response media types, response headers |
//! | [`schema`] | the directional schema walk: types, formats, nullability, unions |
//! | [`properties`] | object properties: added, removed, requiredness |
//! | [`enums`] | enum values added and removed, closed and open enums |
//! | [`constraints`] | request constraints tightened or newly set |
//! | [`components`] | component schemas renamed or removed |
//! | [`docs`] | documentation-only edits, unresolvable `$ref`s, the catch-all |
//!
//! **Directions.** What a client *sends* (parameters, request bodies) breaks
//! when the server accepts less: a new requirement, a narrower type, a
//! removed enum value, a tighter bound. What a client *receives* (response
//! bodies and headers) breaks when the server may send more or less than
//! before: a missing property, a new enum value, `null`, a new union
//! branch. A schema used on both sides is judged once per direction.
//!
//! **Generated code.** Some changes that are harmless on the wire break a
//! Rust SDK generated from the old document at compile time; those are
//! `breaking` here even where oasdiff rates them lower: an `operationId`
//! changed or removed (the method is renamed), a value added to a closed
//! response enum (exhaustive `match`es stop compiling), a `oneOf`/`anyOf`
//! branch added to a response (a new enum variant), a component schema
//! renamed (the type is renamed). An enum is *open* when its schema (or
//! the `$ref` to it) carries `x-minimax-rust-type`, `x-minimax-known-values`
//! or `x-extensible-enum`; a value added to a response enum that was
//! already open in the old document is `info` (marking a closed enum open
//! in the same change does not help code generated from the old one).
//!
//! **Shared components** are walked from every operation that uses them, so
//! a change inside one is reported once per affected operation, with that
//! operation's pointer. Within one operation and one direction a component
//! is compared once (at the first place the walk reaches it, in sorted
//! order), which also stops `$ref` cycles.

pub mod components;
pub mod constraints;
mod content;
pub mod docs;
pub mod enums;
pub mod operations;
pub mod parameters;
pub mod properties;
pub mod request_body;
pub mod responses;
pub mod schema;
pub mod security;

use std::collections::HashSet;

use crate::error::Side;
use crate::model::Doc;
use crate::report::{Change, Level};

/// What the catalogue says about one rule id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleInfo {
    /// The rule id, as reported in [`Change::id`].
    pub id: String,
    /// The level it is reported at (the highest, for the few rules whose
    /// level depends on the case: see [`RuleInfo::note`]).
    pub level: Level,
    /// Which document [`Change::pointer`] points into.
    pub pointer_in: Side,
    /// What it detects.
    pub summary: String,
    /// When the level can be lower, why.
    pub note: Option<&'static str>,
}

/// Prefixes of the schema rules on the request side.
pub const REQUEST_SUBJECTS: &[&str] = &["request-parameter", "request-body", "request-property"];
/// Prefixes of the schema rules on the response side.
pub const RESPONSE_SUBJECTS: &[&str] = &["response-body", "response-property", "response-header"];

/// Schema rule kinds on the request side: `(kind, level, what it detects)`.
/// The reported id is `<subject>-<kind>`, e.g. `request-property-max-length-set`.
pub const REQUEST_KINDS: &[(&str, Level, &str)] = &[
    ("type-changed", Level::Breaking, "type or format changed"),
    (
        "enum-value-removed",
        Level::Breaking,
        "an enum value was removed",
    ),
    ("enum-value-added", Level::Info, "an enum value was added"),
    (
        "became-enum",
        Level::Breaking,
        "a free value was restricted to an enum",
    ),
    (
        "enum-removed",
        Level::Warning,
        "the enum was dropped: every value is accepted, but the generated enum type becomes a plain value (info when the enum was already open)",
    ),
    ("became-nullable", Level::Info, "null is now accepted"),
    (
        "became-not-nullable",
        Level::Breaking,
        "null is no longer accepted",
    ),
    (
        "max-length-decreased",
        Level::Breaking,
        "maxLength decreased",
    ),
    (
        "max-length-set",
        Level::Breaking,
        "maxLength set where there was none",
    ),
    (
        "min-length-increased",
        Level::Breaking,
        "minLength increased",
    ),
    (
        "min-length-set",
        Level::Breaking,
        "minLength set where there was none",
    ),
    ("max-decreased", Level::Breaking, "maximum decreased"),
    (
        "max-set",
        Level::Breaking,
        "maximum set where there was none",
    ),
    ("min-increased", Level::Breaking, "minimum increased"),
    (
        "min-set",
        Level::Breaking,
        "minimum set where there was none",
    ),
    (
        "exclusive-max-set",
        Level::Breaking,
        "the same maximum became exclusive",
    ),
    (
        "exclusive-min-set",
        Level::Breaking,
        "the same minimum became exclusive",
    ),
    ("max-items-decreased", Level::Breaking, "maxItems decreased"),
    (
        "max-items-set",
        Level::Breaking,
        "maxItems set where there was none",
    ),
    ("min-items-increased", Level::Breaking, "minItems increased"),
    (
        "min-items-set",
        Level::Breaking,
        "minItems set where there was none",
    ),
    ("pattern-added", Level::Breaking, "a pattern was added"),
    (
        "pattern-changed",
        Level::Warning,
        "the pattern changed (it may or may not accept less)",
    ),
    (
        "one-of-removed",
        Level::Breaking,
        "a oneOf branch was removed",
    ),
    ("one-of-added", Level::Info, "a oneOf branch was added"),
    (
        "any-of-removed",
        Level::Breaking,
        "an anyOf branch was removed",
    ),
    ("any-of-added", Level::Info, "an anyOf branch was added"),
];

/// Schema rule kinds on the response side: `(kind, level, what it detects)`.
pub const RESPONSE_KINDS: &[(&str, Level, &str)] = &[
    (
        "type-changed",
        Level::Breaking,
        "type or format changed, or an enum was dropped or added",
    ),
    (
        "enum-value-added",
        Level::Breaking,
        "an enum value was added (info when the enum was already open)",
    ),
    (
        "enum-value-removed",
        Level::Info,
        "an enum value was removed",
    ),
    ("became-nullable", Level::Breaking, "null may now be sent"),
    ("became-not-nullable", Level::Info, "null is no longer sent"),
    (
        "one-of-added",
        Level::Breaking,
        "a oneOf branch was added (a new variant of the generated enum)",
    ),
    ("one-of-removed", Level::Info, "a oneOf branch was removed"),
    (
        "any-of-added",
        Level::Breaking,
        "an anyOf branch was added (a new variant of the generated enum)",
    ),
    ("any-of-removed", Level::Info, "an anyOf branch was removed"),
];

/// The rules that are not per schema subject: `(id, level, pointer into,
/// what it detects)`.
pub const FIXED_RULES: &[(&str, Level, Side, &str)] = &[
    ("api-path-removed-without-deprecation", Level::Breaking, Side::Old, "a path and all its operations removed; the operation was not deprecated"),
    ("api-path-removed-with-deprecation", Level::Warning, Side::Old, "a path removed whose operation was deprecated"),
    ("api-removed-without-deprecation", Level::Breaking, Side::Old, "an operation removed (its path remains); it was not deprecated"),
    ("api-removed-with-deprecation", Level::Warning, Side::Old, "a deprecated operation removed"),
    ("endpoint-added", Level::Info, Side::New, "an operation added"),
    ("endpoint-deprecated", Level::Info, Side::New, "an operation became deprecated"),
    ("endpoint-reactivated", Level::Info, Side::New, "an operation is no longer deprecated"),
    ("api-operation-id-changed", Level::Breaking, Side::New, "the operationId changed (the generated method is renamed)"),
    ("api-operation-id-removed", Level::Breaking, Side::Old, "the operationId was removed (the generated method is renamed)"),
    ("api-operation-id-added", Level::Info, Side::New, "an operationId was added where there was none"),
    ("api-security-added", Level::Breaking, Side::New, "a security requirement was added (info when every old way to authenticate is still accepted)"),
    ("api-security-removed", Level::Breaking, Side::Old, "a security requirement was removed (info when the clients that used it are still accepted, i.e. security was relaxed)"),
    ("new-required-request-parameter", Level::Breaking, Side::New, "a required parameter was added"),
    ("new-optional-request-parameter", Level::Info, Side::New, "an optional parameter was added"),
    ("request-parameter-removed", Level::Warning, Side::Old, "a parameter was removed (its builder method disappears from the SDK)"),
    ("request-parameter-renamed", Level::Warning, Side::New, "a path parameter was renamed (matched by its position in the path template; the generated argument is renamed)"),
    ("request-parameter-became-required", Level::Breaking, Side::New, "an optional parameter became required"),
    ("request-parameter-became-optional", Level::Info, Side::New, "a required parameter became optional"),
    ("request-body-added-required", Level::Breaking, Side::New, "a required request body was added"),
    ("request-body-added-optional", Level::Info, Side::New, "an optional request body was added"),
    ("request-body-removed", Level::Breaking, Side::Old, "the request body was removed"),
    ("request-body-became-required", Level::Breaking, Side::New, "an optional request body became required"),
    ("request-body-became-optional", Level::Info, Side::New, "a required request body became optional"),
    ("request-body-media-type-removed", Level::Breaking, Side::Old, "a request media type is no longer accepted"),
    ("request-body-media-type-added", Level::Info, Side::New, "a request media type was added"),
    ("new-required-request-property", Level::Breaking, Side::New, "a required request property was added"),
    ("new-optional-request-property", Level::Info, Side::New, "an optional request property was added"),
    ("request-property-removed", Level::Warning, Side::Old, "a request property was removed"),
    ("request-property-became-required", Level::Breaking, Side::New, "an optional request property became required"),
    ("request-property-became-optional", Level::Info, Side::New, "a required request property became optional"),
    ("response-success-status-removed", Level::Breaking, Side::Old, "a 2xx response was removed"),
    ("response-non-success-status-removed", Level::Warning, Side::Old, "a non-2xx (or default) response was removed"),
    ("response-success-status-added", Level::Info, Side::New, "a 2xx response was added"),
    ("response-non-success-status-added", Level::Info, Side::New, "a non-2xx (or default) response was added"),
    ("response-media-type-removed", Level::Breaking, Side::Old, "a response media type was removed"),
    ("response-media-type-added", Level::Info, Side::New, "a response media type was added"),
    ("required-response-header-removed", Level::Breaking, Side::Old, "a required response header was removed"),
    ("optional-response-header-removed", Level::Warning, Side::Old, "an optional response header was removed"),
    ("response-header-became-optional", Level::Breaking, Side::New, "a required response header became optional"),
    ("response-header-added", Level::Info, Side::New, "a response header was added"),
    ("response-required-property-removed", Level::Breaking, Side::Old, "a required response property was removed"),
    ("response-optional-property-removed", Level::Warning, Side::Old, "an optional response property was removed"),
    ("response-property-became-optional", Level::Breaking, Side::New, "a required response property became optional"),
    ("response-property-became-required", Level::Info, Side::New, "an optional response property became required"),
    ("response-required-property-added", Level::Info, Side::New, "a required response property was added"),
    ("response-optional-property-added", Level::Info, Side::New, "an optional response property was added"),
    ("component-schema-renamed", Level::Breaking, Side::New, "a component schema was removed and a structurally identical one added under another name (the generated type is renamed)"),
    ("api-schema-removed", Level::Warning, Side::Old, "a component schema was removed (its generated type disappears)"),
    ("unresolved-ref", Level::Warning, Side::New, "a `$ref` in the new document resolves to nothing (where the old one did, or pointed elsewhere)"),
    ("api-documentation-changed", Level::Info, Side::New, "documentation-only edits (descriptions, summaries, titles, examples), aggregated: one change per operation, one for the document's `info`"),
    ("api-unclassified-change", Level::Info, Side::New, "the operation's contract changed in a way no other rule classifies (e.g. a default value, a response constraint); one per operation, only when nothing else was reported for it; also where a schema differs deeper than the schema walk descends"),
];

/// Notes on rules whose level depends on the case.
fn note_for(id: &str) -> Option<&'static str> {
    match id {
        "api-security-added" => Some("info when every previously accepted way to authenticate is still accepted"),
        "api-security-removed" => Some("info when the clients that used it are still accepted"),
        id if id.starts_with("response-") && id.ends_with("-type-changed") => {
            Some("warning when a plain value became an enum, or an open enum was dropped (code generated from the old document still decodes every value)")
        }
        id if id.starts_with("request-") && id.ends_with("-enum-removed") => {
            Some("info when the enum was already open in the old document (x-minimax-rust-type, x-minimax-known-values, x-extensible-enum): code generated from it already takes any value")
        }
        id if id.starts_with("response-") && id.ends_with("-enum-value-added") => {
            Some("info when the enum was already open in the old document (x-minimax-rust-type, x-minimax-known-values, x-extensible-enum)")
        }
        _ => None,
    }
}

/// Every rule id the engine can report, with its level and what it detects.
pub fn catalogue() -> Vec<RuleInfo> {
    let mut rules: Vec<RuleInfo> = FIXED_RULES
        .iter()
        .map(|(id, level, side, summary)| RuleInfo {
            id: (*id).to_owned(),
            level: *level,
            pointer_in: *side,
            summary: (*summary).to_owned(),
            note: note_for(id),
        })
        .collect();
    for (subjects, kinds) in [
        (REQUEST_SUBJECTS, REQUEST_KINDS),
        (RESPONSE_SUBJECTS, RESPONSE_KINDS),
    ] {
        for subject in subjects {
            for (kind, level, summary) in kinds {
                let id = format!("{subject}-{kind}");
                let note = note_for(&id);
                rules.push(RuleInfo {
                    id,
                    level: *level,
                    pointer_in: Side::New,
                    summary: format!("{}: {summary}", subject.replace('-', " ")),
                    note,
                });
            }
        }
    }
    rules
}

/// Which document a change's pointer refers to, by rule id: the old one
/// for the fixed rules about things that no longer exist, else the new one.
pub fn pointer_side(id: &str) -> Side {
    FIXED_RULES
        .iter()
        .find(|(name, ..)| *name == id)
        .map(|(_, _, side, _)| *side)
        .unwrap_or(Side::New)
}

/// The catalogued level of a schema rule kind.
pub(crate) fn kind_level(dir: Dir, kind: &str) -> Level {
    let kinds = match dir {
        Dir::Request => REQUEST_KINDS,
        Dir::Response => RESPONSE_KINDS,
    };
    kinds
        .iter()
        .find(|(name, _, _)| *name == kind)
        .map(|(_, level, _)| *level)
        .unwrap_or(Level::Info)
}

/// The catalogued level of a fixed rule.
pub(crate) fn fixed_level(id: &str) -> Level {
    FIXED_RULES
        .iter()
        .find(|(name, ..)| *name == id)
        .map(|(_, level, ..)| *level)
        .unwrap_or(Level::Info)
}

/// Which way data flows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Dir {
    /// The client sends it.
    Request,
    /// The client receives it.
    Response,
}

impl Dir {
    pub(crate) fn word(self) -> &'static str {
        match self {
            Dir::Request => "request",
            Dir::Response => "response",
        }
    }
}

/// What a schema belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Role {
    /// A parameter's schema (and anything nested in it).
    Parameter,
    /// The root schema of a body.
    Body,
    /// Anything nested in a body.
    Property,
    /// A response header's schema (and anything nested in it).
    Header,
}

/// The schema being compared: direction, role, a name for messages, and
/// the property path from the body (or parameter) root.
#[derive(Debug, Clone)]
pub(crate) struct Subject {
    pub dir: Dir,
    pub role: Role,
    /// `query parameter `limit``, `response header `X-Id` (200)`, or for
    /// bodies the context: `application/json`, `200 application/json`.
    pub name: String,
    /// `messages/items/role`; empty at the root.
    pub path: String,
}

impl Subject {
    /// The rule-id prefix for this subject.
    pub(crate) fn prefix(&self) -> &'static str {
        match (self.dir, self.role) {
            (Dir::Request, Role::Parameter) | (Dir::Request, Role::Header) => "request-parameter",
            (Dir::Request, Role::Body) => "request-body",
            (Dir::Request, Role::Property) => "request-property",
            (Dir::Response, Role::Body) => "response-body",
            (Dir::Response, Role::Property) | (Dir::Response, Role::Parameter) => {
                "response-property"
            }
            (Dir::Response, Role::Header) => "response-header",
        }
    }

    /// The subject one level down (`segment`: a property name, `items`,
    /// `additionalProperties`).
    pub(crate) fn child(&self, segment: &str) -> Subject {
        Subject {
            dir: self.dir,
            role: match self.role {
                Role::Body | Role::Property => Role::Property,
                other => other,
            },
            name: self.name.clone(),
            path: if self.path.is_empty() {
                segment.to_owned()
            } else {
                format!("{}/{segment}", self.path)
            },
        }
    }

    /// A noun phrase for messages.
    pub(crate) fn describe(&self) -> String {
        match (self.role, self.path.is_empty()) {
            (Role::Parameter | Role::Header, true) => self.name.clone(),
            (Role::Parameter | Role::Header, false) => {
                format!("property `{}` of the {}", self.path, self.name)
            }
            (_, true) => format!("{} body ({})", self.dir.word(), self.name),
            (_, false) => format!(
                "{} property `{}` ({})",
                self.dir.word(),
                self.path,
                self.name
            ),
        }
    }
}

/// The state of comparing one operation (or the document level).
pub(crate) struct Ctx<'d, 'a> {
    pub old: &'d Doc<'a>,
    pub new: &'d Doc<'a>,
    pub operation: Option<String>,
    pub changes: Vec<Change>,
    /// Schema pairs already compared: `(direction, role, old node, new
    /// node)`.
    memo: HashSet<(Dir, Role, usize, usize)>,
    /// Pointers of documentation-only edits.
    pub doc_edits: Vec<String>,
    /// How many schemas deep the schema walk is.
    pub depth: usize,
    /// Whether a change below the walk's depth limit was reported.
    pub deep_change_reported: bool,
}

impl<'d, 'a> Ctx<'d, 'a> {
    pub(crate) fn new(old: &'d Doc<'a>, new: &'d Doc<'a>, operation: Option<String>) -> Self {
        Ctx {
            old,
            new,
            operation,
            changes: Vec::new(),
            memo: HashSet::new(),
            doc_edits: Vec::new(),
            depth: 0,
            deep_change_reported: false,
        }
    }

    /// Records a change.
    pub(crate) fn emit(
        &mut self,
        id: impl Into<String>,
        level: Level,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) {
        self.changes.push(Change {
            id: id.into(),
            level,
            operation: self.operation.clone(),
            pointer: pointer.into(),
            message: message.into(),
        });
    }

    /// Records a fixed rule at its catalogued level.
    pub(crate) fn fixed(
        &mut self,
        id: &'static str,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) {
        self.emit(id, fixed_level(id), pointer, message);
    }

    /// Records a schema rule `<subject prefix>-<kind>` at its catalogued
    /// level (or `level` when given).
    pub(crate) fn schema_rule(
        &mut self,
        subject: &Subject,
        kind: &str,
        level: Option<Level>,
        pointer: &str,
        message: String,
    ) {
        let level = level.unwrap_or_else(|| kind_level(subject.dir, kind));
        self.emit(
            format!("{}-{kind}", subject.prefix()),
            level,
            pointer,
            message,
        );
    }

    /// Reports `unresolved-ref` at `pointer` for `reference`, a `$ref` of
    /// the new document that resolves to nothing, unless the old
    /// document's counterpart dangled with the same reference (`old`).
    pub(crate) fn unresolved_ref(
        &mut self,
        reference: &str,
        old: Option<&str>,
        pointer: impl Into<String>,
        message: impl FnOnce() -> String,
    ) {
        if old != Some(reference) {
            self.fixed("unresolved-ref", pointer, message());
        }
    }

    /// Marks a schema pair as compared; false when it already was.
    pub(crate) fn first_visit(&mut self, dir: Dir, role: Role, old: usize, new: usize) -> bool {
        // A body's root and its nested schemas are one class: a schema
        // reached again deeper down (recursion) is the same change.
        let class = match role {
            Role::Body | Role::Property => Role::Body,
            other => other,
        };
        self.memo.insert((dir, class, old, new))
    }

    /// Notes a documentation-only edit at `pointer`.
    pub(crate) fn doc_edit(&mut self, pointer: String) {
        self.doc_edits.push(pointer);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_ids_are_unique_kebab_case() {
        let rules = catalogue();
        let mut seen = HashSet::new();
        for rule in &rules {
            assert!(seen.insert(rule.id.clone()), "duplicate {}", rule.id);
            assert!(
                rule.id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{}",
                rule.id
            );
        }
        assert!(rules.len() > 100);
        assert_eq!(
            kind_level(Dir::Response, "enum-value-added"),
            Level::Breaking
        );
        assert_eq!(kind_level(Dir::Request, "enum-value-added"), Level::Info);
        // Dropping a request enum accepts more: never breaking.
        assert_eq!(kind_level(Dir::Request, "enum-removed"), Level::Warning);
        assert!(rules
            .iter()
            .any(|rule| rule.id == "request-body-enum-removed" && rule.note.is_some()));
    }

    #[test]
    fn subjects_name_themselves() {
        let body = Subject {
            dir: Dir::Response,
            role: Role::Body,
            name: "200 application/json".into(),
            path: String::new(),
        };
        assert_eq!(body.prefix(), "response-body");
        let child = body.child("file").child("purpose");
        assert_eq!(child.prefix(), "response-property");
        assert_eq!(
            child.describe(),
            "response property `file/purpose` (200 application/json)"
        );
        let param = Subject {
            dir: Dir::Request,
            role: Role::Parameter,
            name: "query parameter `f`".into(),
            path: String::new(),
        };
        assert_eq!(
            param.child("a").describe(),
            "property `a` of the query parameter `f`"
        );
        assert_eq!(param.child("a").prefix(), "request-parameter");
    }
}
