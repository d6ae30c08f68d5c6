//! What the label rules (DL3049-DL3058) share: the label schema, their one options struct
//! (read from `[rules.DL3049]`, the rule that makes the labels required, and declared by each
//! label rule with `options_of::<LabelSchema>("DL3049")`), and the loop of the typed-label rules.

use crate::dockerfile::{Body, Dockerfile};
use crate::rule::Context;
use crate::settings::checked_string;
use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize};
use std::collections::BTreeMap;

/// The label schema, shared by the label rules.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct LabelSchema {
    /// Labels every stage must carry (DL3049), each with the type its value must have (checked
    /// by DL3052-DL3058; empty values are DL3051). The label rules report nothing while the
    /// schema is empty.
    #[serde(deserialize_with = "non_empty_names")]
    pub label_schema: BTreeMap<String, LabelType>,
    /// Also report labels that are not in the schema (DL3050).
    pub strict_labels: bool,
}

impl LabelSchema {
    /// The labels of the schema that have this type.
    pub fn labels_of_type(&self, ty: LabelType) -> impl Iterator<Item = &str> {
        self.label_schema
            .iter()
            .filter(move |(_, t)| **t == ty)
            .map(|(k, _)| k.as_str())
    }
}

/// A label name of the schema: any text but the empty one.
struct LabelName(String);

impl<'de> Deserialize<'de> for LabelName {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        checked_string(d, |name| match name.trim().is_empty() {
            true => Err("empty label name".into()),
            false => Ok(LabelName(name.to_string())),
        })
    }
}

fn non_empty_names<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<BTreeMap<String, LabelType>, D::Error> {
    let map = BTreeMap::<LabelName, LabelType>::deserialize(d)?;
    Ok(map.into_iter().map(|(k, v)| (k.0, v)).collect())
}

impl PartialEq for LabelName {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}
impl Eq for LabelName {}
impl PartialOrd for LabelName {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for LabelName {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.cmp(&other.0)
    }
}

/// The type a label of the label schema must have.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum LabelType {
    /// Any text; only presence and emptiness are checked.
    Text,
    /// An absolute URI such as `https://example.com/repo` (DL3052).
    Url,
    /// An RFC 3339 date and time such as `2024-05-01T12:00:00Z` (DL3053).
    Rfc3339,
    /// An SPDX license identifier or expression such as `MIT OR Apache-2.0` (DL3054).
    Spdx,
    /// A git commit hash: 7 or 40 lowercase hexadecimal digits (DL3055).
    Hash,
    /// A semantic version such as `1.4.2-rc.1` (DL3056).
    Semver,
    /// An email address (DL3058).
    Email,
}

/// Reports each schema label of type `ty` whose value `valid` rejects, with `what` naming the
/// expected form ("a valid URL") and `help` showing a good value. Skips empty values (DL3051's
/// concern) and values built from variables.
pub(crate) fn check_label_type(
    ctx: &mut Context<'_, Dockerfile>,
    ty: LabelType,
    valid: fn(&str) -> bool,
    what: &str,
    help: &'static str,
) {
    let labels: Vec<&str> = ctx.options::<LabelSchema>().labels_of_type(ty).collect();
    if labels.is_empty() {
        return;
    }
    for ins in ctx.file.iter() {
        let Body::Label(kvs) = &ins.body else {
            continue;
        };
        for kv in kvs {
            let Some(v) = &kv.value else { continue };
            let skip = v.value.is_empty() || v.value.contains('$');
            if !skip && labels.contains(&kv.key.value.as_str()) && !valid(&v.value) {
                ctx.report(v.span, format!("label `{}` is not {what}", kv.key.value))
                    .help(help);
            }
        }
    }
}
