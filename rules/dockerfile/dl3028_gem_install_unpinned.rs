use super::package_calls::report_unpinned;
use crate::declare_rule;
use crate::dockerfile::{Dockerfile, ParsedRun};
use crate::rule::{Category, Check, Context};
use crate::shell::packages::Manager;

declare_rule! {
    /// ## What it does
    /// Reports each gem of a `gem install` that names no version.
    ///
    /// `rails:7.1.3` pins, and so does `-v`/`--version` for the gems of the call
    /// (`gem install bundler -v 2.5.0`); `.gem` files and variables are not judged.
    ///
    /// ## Why is this bad?
    /// Without a version, every build installs the newest release of the gem: builds are not
    /// reproducible, and a new major version can break the image without a change to the file.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM ruby:3.3-slim
    /// RUN gem install bundler
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM ruby:3.3-slim
    /// RUN gem install bundler:2.5.22
    /// ```
    pub static RULE = Rule {
        code: "DL3028",
        name: "gem-install-unpinned",
        category: Category::Reliability,
        summary: "a gem install names a gem without a version",
        check: Check::Run(check),
    };
}

fn check(ctx: &mut Context<'_, Dockerfile>, run: &ParsedRun<'_>) {
    report_unpinned(ctx, run, |c| c.manager == Manager::Gem);
}
