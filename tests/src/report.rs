//! The coverage gate: every operation has cases, every case passes every
//! stage that applies, and a table says so (`target/contract-coverage.md`).

use std::fmt::Write as _;
use std::path::PathBuf;

use crate::adapters;
use crate::check::{check, CaseReport, Verdict, KNOWN_ISSUES};
use crate::spec::{contract, workspace_root, Operation};

/// Cargo's target directory: `$CARGO_TARGET_DIR`, else `<workspace>/target`.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"))
}

/// Operations that need no HTTP-200 error case, and why.
pub static HTTP_200_ERROR_EXEMPT: &[(&str, &str)] = &[
    (
        "retrieveFileContent",
        "its HTTP 200 is a binary body, so the spec has nowhere to put a JSON base_resp error; its error cases use HTTP 4xx",
    ),
    (
        "createAnthropicMessage",
        "the Anthropic-compatible endpoint reports errors in Anthropic's envelope with an HTTP error status",
    ),
];

/// One operation's row.
#[derive(Debug, Clone)]
pub struct OperationReport {
    /// The `operationId`.
    pub id: String,
    /// Every case's report.
    pub cases: Vec<CaseReport>,
    /// The number of event-stream examples (validated, not replayed).
    pub stream_examples: usize,
    /// Why this operation fails the gate; empty when it passes.
    pub gate: Vec<String>,
}

/// The whole table.
#[derive(Debug, Clone)]
pub struct Coverage {
    /// One row per operation, in spec order.
    pub operations: Vec<OperationReport>,
    /// Problems not tied to one operation.
    pub general: Vec<String>,
}

/// Why `op` fails the gate, given its cases' reports; empty when it passes.
pub fn gate_problems(op: &Operation, cases: &[CaseReport]) -> Vec<String> {
    let contract = contract();
    let mut problems = Vec::new();
    if cases.is_empty() {
        problems.push("no contract case: add openapi/examples/<operationId>.json".to_owned());
        return problems;
    }
    if !cases.iter().any(|case| !case.is_error) {
        problems.push("no success example".to_owned());
    }
    if !cases.iter().any(|case| case.is_error) {
        problems.push("no error example".to_owned());
    }
    let exempt = HTTP_200_ERROR_EXEMPT.iter().any(|(id, _)| *id == op.id);
    if !exempt && !cases.iter().any(|case| case.is_http_200_error) {
        problems.push("no HTTP-200 error example (a non-zero base_resp.status_code)".to_owned());
    }
    for (name, schema, value) in &op.stream_examples {
        for error in contract.schema_errors(schema, value) {
            problems.push(format!("event-stream example {name} at {error}"));
        }
    }
    for case in cases {
        for (stage, verdict) in [
            ("schema-valid", &case.schema),
            ("minimax-api replay", &case.api),
            ("sdk call() replay", &case.sdk_core),
            ("sdk method replay", &case.sdk_method),
        ] {
            match verdict {
                Verdict::Fail(why) => problems.push(format!("{} {stage}: {why}", case.label)),
                Verdict::Missing(why) => {
                    problems.push(format!("{} {stage} skipped: {why}", case.label))
                }
                Verdict::Pass | Verdict::Known(_) | Verdict::NotApplicable(_) => {}
            }
        }
    }
    problems
}

/// Entries of the explicit "stage does not apply" lists that no longer hold
/// (the adapter they excuse the absence of exists), or that give no reason.
pub fn stale_exemptions() -> Vec<String> {
    let mut problems = Vec::new();
    for (id, why) in adapters::NOT_GENERATED {
        if adapters::api(id).is_some() {
            problems.push(format!(
                "NOT_GENERATED lists {id}, which has a generated-client adapter: remove the entry"
            ));
        }
        if why.trim().is_empty() {
            problems.push(format!("NOT_GENERATED lists {id} without a reason"));
        }
    }
    for (id, why) in adapters::NO_SDK_METHOD {
        if adapters::sdk_method(id).is_some() {
            problems.push(format!(
                "NO_SDK_METHOD lists {id}, which has an SDK resource method: remove the entry"
            ));
        }
        if why.trim().is_empty() {
            problems.push(format!("NO_SDK_METHOD lists {id} without a reason"));
        }
    }
    problems
}

/// Runs every stage of every case of every operation.
pub async fn run() -> Coverage {
    let contract = contract();
    let mut operations = Vec::new();
    for op in &contract.operations {
        let mut cases = Vec::new();
        for case in &op.cases {
            cases.push(check(op, case).await);
        }
        let gate = gate_problems(op, &cases);
        operations.push(OperationReport {
            id: op.id.clone(),
            cases,
            stream_examples: op.stream_examples.len(),
            gate,
        });
    }
    let mut general = contract.problems.clone();
    let known = |id: &str| contract.operation(id).is_some();
    let adapter_ids = adapters::API
        .iter()
        .map(|(id, _)| *id)
        .chain(adapters::SDK_CORE_GENERATED.iter().map(|(id, _)| *id))
        .chain(adapters::SDK_CORE_HANDWRITTEN.iter().map(|(id, _)| *id))
        .chain(adapters::SDK_METHODS.iter().map(|method| method.operation))
        .chain(adapters::NOT_GENERATED.iter().map(|(id, _)| *id))
        .chain(adapters::NO_SDK_METHOD.iter().map(|(id, _)| *id));
    for id in adapter_ids {
        if !known(id) {
            general.push(format!(
                "tests/src/adapters.rs names {id}, which is not an operation of openapi/minimax.json"
            ));
        }
    }
    general.extend(stale_exemptions());
    for issue in KNOWN_ISSUES {
        let exists = if issue.example == "*" {
            contract.operation(issue.operation).is_some()
        } else {
            contract.case(issue.operation, issue.example).is_some()
        };
        if !exists {
            general.push(format!(
                "KNOWN_ISSUES names {}/{}, which is not a case",
                issue.operation, issue.example
            ));
        }
        if issue.symptom.trim().is_empty() {
            general.push(format!(
                "KNOWN_ISSUES entry {}/{} has no symptom, so it would hide every failure at {}",
                issue.operation, issue.example, issue.stage
            ));
        }
    }
    Coverage {
        operations,
        general,
    }
}

/// One table cell: how the cases of an operation fared at one stage.
fn cell(verdicts: &[&Verdict]) -> String {
    let total = verdicts.len();
    let passed = verdicts
        .iter()
        .filter(|v| matches!(v, Verdict::Pass))
        .count();
    let failed = verdicts.iter().filter(|v| v.is_failure()).count();
    let known = verdicts
        .iter()
        .filter(|v| matches!(v, Verdict::Known(_)))
        .count();
    if total == 0 {
        return "✗ no cases".to_owned();
    }
    if let Some(Verdict::Missing(_)) = verdicts.first() {
        if verdicts.iter().all(|v| matches!(v, Verdict::Missing(_))) {
            return "✗ **missing** (no SDK method)".to_owned();
        }
    }
    if let Some(Verdict::NotApplicable(why)) = verdicts.first() {
        if verdicts
            .iter()
            .all(|v| matches!(v, Verdict::NotApplicable(_)))
        {
            let short = why.split(':').next().unwrap_or(why);
            return format!("n/a ({short})");
        }
    }
    let mut text = if failed > 0 {
        format!("✗ {passed}/{total}")
    } else if known > 0 {
        format!("⚠ {passed}/{total}")
    } else {
        format!("✓ {passed}/{total}")
    };
    if known > 0 {
        let _ = write!(text, ", {known} known issue");
    }
    text
}

impl Coverage {
    /// Everything that fails the gate.
    pub fn failures(&self) -> Vec<String> {
        let mut failures = self.general.clone();
        for op in &self.operations {
            for problem in &op.gate {
                failures.push(format!("{}: {problem}", op.id));
            }
        }
        failures
    }

    /// Operations without an SDK resource method.
    pub fn missing_sdk_methods(&self) -> Vec<&str> {
        self.operations
            .iter()
            .filter(|op| {
                op.cases
                    .iter()
                    .all(|case| matches!(case.sdk_method, Verdict::Missing(_)))
            })
            .map(|op| op.id.as_str())
            .collect()
    }

    /// The table, as Markdown.
    pub fn markdown(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "# Contract coverage\n");
        let _ = writeln!(
            out,
            "Regenerate with `cargo test -p minimax-contract-tests --test coverage`; every example of `openapi/minimax.json` replayed against httpmock.\n"
        );
        let _ = writeln!(
            out,
            "| operation | examples | schema-valid | minimax-api replay | sdk replay (resource method) | sdk replay (`Client::call`) |"
        );
        let _ = writeln!(out, "|---|---|---|---|---|---|");
        for op in &self.operations {
            let errors = op.cases.iter().filter(|case| case.is_error).count();
            let in_200 = op
                .cases
                .iter()
                .filter(|case| case.is_http_200_error)
                .count();
            let mut examples = format!(
                "{} ({} ok, {errors} error, {in_200} in HTTP 200)",
                op.cases.len(),
                op.cases.len() - errors
            );
            if op.stream_examples > 0 {
                let _ = write!(examples, " + {} SSE event", op.stream_examples);
            }
            let column = |pick: fn(&CaseReport) -> &Verdict| {
                cell(&op.cases.iter().map(pick).collect::<Vec<_>>())
            };
            let mut schema = column(|case| &case.schema);
            if op
                .gate
                .iter()
                .any(|problem| problem.starts_with("event-stream"))
            {
                schema.push_str(" ✗ SSE");
            }
            let _ = writeln!(
                out,
                "| `{}` | {examples} | {schema} | {} | {} | {} |",
                op.id,
                column(|case| &case.api),
                match adapters::sdk_method(&op.id) {
                    Some(method) =>
                        format!("{} `{}`", column(|case| &case.sdk_method), method.method),
                    None => column(|case| &case.sdk_method),
                },
                column(|case| &case.sdk_core),
            );
        }
        let n_cases: usize = self.operations.iter().map(|op| op.cases.len()).sum();
        let _ = writeln!(
            out,
            "\n{} operations, {n_cases} cases. ✓ passed/applicable; ⚠ the rest fail as a known, reported issue (listed below); ✗ something failed (see the test output); n/a the stage does not apply (listed below with the reason); ✗ **missing** the SDK has no resource method, which fails the gate.",
            self.operations.len()
        );
        let missing = self.missing_sdk_methods();
        if !missing.is_empty() {
            let _ = writeln!(
                out,
                "\n## Operations without an SDK resource method ({})\n",
                missing.len()
            );
            for id in missing {
                let _ = writeln!(out, "- `{id}`");
            }
        }
        let exemptions: Vec<(&str, &str, &str)> = adapters::NOT_GENERATED
            .iter()
            .map(|(id, why)| (*id, "minimax-api replay", *why))
            .chain(
                adapters::NO_SDK_METHOD
                    .iter()
                    .map(|(id, why)| (*id, "sdk method replay", *why)),
            )
            .collect();
        if !exemptions.is_empty() {
            let _ = writeln!(
                out,
                "\n## Stages that do not apply (explicit lists in tests/src/adapters.rs)\n"
            );
            for (id, stage, why) in exemptions {
                let _ = writeln!(out, "- `{id}` {stage}: {why}");
            }
        }
        if !KNOWN_ISSUES.is_empty() {
            let _ = writeln!(out, "\n## Known issues (reported, expected to fail)\n");
            for issue in KNOWN_ISSUES {
                let _ = writeln!(
                    out,
                    "- `{}/{}` at {} (failing with \"{}\"): {}",
                    issue.operation, issue.example, issue.stage, issue.symptom, issue.reason
                );
            }
        }
        let failures = self.failures();
        if !failures.is_empty() {
            let _ = writeln!(out, "\n## Failures\n");
            for failure in failures {
                let _ = writeln!(out, "- {}", failure.replace('\n', " "));
            }
        }
        out
    }

    /// Writes [`Coverage::markdown`] to `target/contract-coverage.md` (or
    /// under `$CARGO_TARGET_DIR`) and returns the path.
    pub fn write(&self) -> std::io::Result<PathBuf> {
        let target = target_dir();
        std::fs::create_dir_all(&target)?;
        let path = target.join("contract-coverage.md");
        std::fs::write(&path, self.markdown())?;
        Ok(path)
    }
}
