//! Secret-like names: the tokens that mark a variable as holding a secret, and the exceptions.
