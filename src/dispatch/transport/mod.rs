//! Transports: how an outgoing message leaves briefcast.

pub mod retry;
