//! Rules over several files of a project (a compose file and the Dockerfiles it builds).

crate::register_rules! {
    dc003_healthy_dependency_without_healthcheck,
    dx001_unknown_build_target,
    dx002_missing_build_path,
    dx003_undeclared_build_arg,
}
