//! Rules over several files of a project (a compose file and the Dockerfiles it builds).

crate::register_rules! {}
