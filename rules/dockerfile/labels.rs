//! The loop the typed-label rules (DL3052-DL3056, DL3058) share: every LABEL value whose key the
//! schema gives `ty`, skipping empty values (DL3051's concern) and values built from variables.

use crate::dockerfile::{Body, Dockerfile};
use crate::rule::Context;
use crate::settings::LabelType;

/// Reports each schema label of type `ty` whose value `valid` rejects, with `what` naming the
/// expected form ("a valid URL") and `help` showing a good value.
pub(crate) fn check_label_type(
    ctx: &mut Context<'_, Dockerfile>,
    ty: LabelType,
    valid: fn(&str) -> bool,
    what: &str,
    help: &str,
) {
    let labels: Vec<&str> = ctx.settings.labels_of_type(ty).collect();
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
