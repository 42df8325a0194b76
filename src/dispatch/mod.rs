//! Dispatch: from a delivery to a message on the wire.

pub mod dispatcher;
pub mod dkim;
pub mod heartbeat;
pub mod message;
pub mod transport;
