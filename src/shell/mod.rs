//! The shell model of a RUN (placeholder until the shell parser lands).
