//! Whether a reply's address carries a token we signed, and for which delivery.

use crate::ids::DeliveryId;
use crate::inbound::Mailbox;

/// Checks the signed token of a `questions+TOKEN@`, `bounces+TOKEN@` or `unsubscribe+TOKEN@`
/// address and names the delivery it was issued for. `None` for anything not signed by us for
/// that mailbox. The daemon wires `token::TokenKey`; tests pass a closure.
pub trait ReplyTokens: Send + Sync + 'static {
    fn delivery_of(&self, token: &str, mailbox: Mailbox) -> Option<DeliveryId>;
}

impl<F> ReplyTokens for F
where
    F: Fn(&str, Mailbox) -> Option<DeliveryId> + Send + Sync + 'static,
{
    fn delivery_of(&self, token: &str, mailbox: Mailbox) -> Option<DeliveryId> {
        self(token, mailbox)
    }
}

/// The real verifier: each mailbox takes the token of its own purpose, so a reply token
/// presented at the bounce address proves nothing.
impl ReplyTokens for crate::token::TokenKey {
    fn delivery_of(&self, token: &str, mailbox: Mailbox) -> Option<DeliveryId> {
        let purpose = match mailbox {
            Mailbox::Questions => crate::token::Purpose::Reply,
            Mailbox::Bounces => crate::token::Purpose::Bounce,
            Mailbox::Unsubscribe => crate::token::Purpose::Unsubscribe,
        };
        self.verify(purpose, token).ok()
    }
}

/// Trusts no token: replies are then matched by Message-ID and sender only. For tests, benches
/// and fuzzing, where no key signed the messages; the daemon verifies with its `TokenKey`.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoTokens;

impl ReplyTokens for NoTokens {
    fn delivery_of(&self, _token: &str, _mailbox: Mailbox) -> Option<DeliveryId> {
        None
    }
}
