//! Dispatch: from a delivery to a message on the wire.

pub mod dispatcher;
pub mod message;
pub mod transport;
