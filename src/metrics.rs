//! Prometheus metrics, served at `GET /metrics` in the text exposition format.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct HttpLabels {
    pub method: String,
    pub status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ImportLabels {
    pub outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct DeliveryLabels {
    pub status: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct OutcomeLabels {
    pub status: &'static str,
    pub transport: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct FeedLabels {
    pub feed: String,
    pub outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct FeedNameLabels {
    pub feed: String,
}

/// The daemon's metrics. Parts of the flow add their families here as they arrive.
pub struct Metrics {
    registry: Registry,
    pub http_requests: Family<HttpLabels, Counter>,
    pub roster_rows: Family<ImportLabels, Counter>,
    /// Deliveries in the database per status, over all editions (read from the store, so every
    /// daemon sharing a database reports the same figures).
    pub deliveries: Family<DeliveryLabels, Gauge>,
    /// Deliveries waiting for a worker: queued or deferred.
    pub delivery_queue_depth: Gauge,
    /// Send outcomes this daemon recorded, per status and transport.
    pub delivery_outcomes: Family<OutcomeLabels, Counter>,
    /// Time the transport took to accept or refuse one message.
    pub send_seconds: Family<TransportLabels, Histogram>,
    /// Feed polls by this daemon, per feed and outcome (new, not_modified, failed).
    pub feed_polls: Family<FeedLabels, Counter>,
    /// Items this daemon took from each feed as draft briefs.
    pub feed_items_taken: Family<FeedNameLabels, Counter>,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct TransportLabels {
    pub transport: String,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("briefcast");
        let http_requests = Family::<HttpLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests answered, by method and status",
            http_requests.clone(),
        );
        let roster_rows = Family::<ImportLabels, Counter>::default();
        registry.register("roster_rows", "Roster rows imported, by outcome", roster_rows.clone());
        let deliveries = Family::<DeliveryLabels, Gauge>::default();
        registry.register(
            "deliveries",
            "Deliveries in the database, by status",
            deliveries.clone(),
        );
        let delivery_queue_depth = Gauge::default();
        registry.register(
            "delivery_queue_depth",
            "Deliveries waiting for a worker (queued or deferred)",
            delivery_queue_depth.clone(),
        );
        let delivery_outcomes = Family::<OutcomeLabels, Counter>::default();
        registry.register(
            "delivery_outcomes",
            "Send outcomes recorded by this daemon, by status and transport",
            delivery_outcomes.clone(),
        );
        let send_seconds = Family::<TransportLabels, Histogram>::new_with_constructor(|| {
            // 0.5 ms to about 16 s: a loopback sink answers in well under a millisecond, a
            // remote relay under load in seconds.
            Histogram::new(exponential_buckets(0.0005, 2.0, 16))
        });
        registry.register(
            "send_seconds",
            "Time to hand one message to the transport",
            send_seconds.clone(),
        );
        let feed_polls = Family::<FeedLabels, Counter>::default();
        registry.register(
            "feed_polls",
            "Government feed polls by this daemon, by feed and outcome",
            feed_polls.clone(),
        );
        let feed_items_taken = Family::<FeedNameLabels, Counter>::default();
        registry.register(
            "feed_items_taken",
            "Items taken from government feeds as draft briefs by this daemon, by feed",
            feed_items_taken.clone(),
        );
        Metrics {
            registry,
            feed_polls,
            feed_items_taken,
            send_seconds,
            http_requests,
            roster_rows,
            deliveries,
            delivery_queue_depth,
            delivery_outcomes,
        }
    }
}

impl Metrics {
    pub fn render(&self) -> String {
        let mut out = String::new();
        prometheus_client::encoding::text::encode(&mut out, &self.registry).expect("writing to a String cannot fail");
        out
    }

    pub fn count_import(&self, report: &crate::audience::ImportReport) {
        for (outcome, n) in [
            ("new", report.new),
            ("updated", report.updated),
            ("unchanged", report.unchanged),
            ("rejected", report.rejected.len() as u64),
        ] {
            self.roster_rows.get_or_create(&ImportLabels { outcome }).inc_by(n);
        }
    }

    /// Sets the per-status gauges; a status with no deliveries reads 0 rather than vanishing.
    pub fn set_delivery_counts(&self, counts: &[(crate::edition::DeliveryStatus, u64)]) {
        for status in crate::edition::DeliveryStatus::ALL {
            let n = counts.iter().find(|(s, _)| *s == status).map_or(0, |(_, n)| *n);
            self.deliveries
                .get_or_create(&DeliveryLabels {
                    status: status.as_str(),
                })
                .set(n as i64);
        }
    }

    pub fn count_feed_poll(&self, report: &crate::service::feeds::PollReport) {
        let outcome = match (&report.error, report.not_modified) {
            (Some(_), _) => "failed",
            (None, true) => "not_modified",
            (None, false) => "read",
        };
        self.feed_polls
            .get_or_create(&FeedLabels {
                feed: report.feed.clone(),
                outcome,
            })
            .inc();
        self.feed_items_taken
            .get_or_create(&FeedNameLabels {
                feed: report.feed.clone(),
            })
            .inc_by(report.taken.len() as u64);
    }

    pub fn observe_send(&self, transport: &str, took: std::time::Duration) {
        self.send_seconds
            .get_or_create(&TransportLabels {
                transport: transport.to_string(),
            })
            .observe(took.as_secs_f64());
    }

    /// Counts one recorded send outcome.
    pub fn count_outcome(&self, status: crate::edition::DeliveryStatus, transport: &str) {
        self.delivery_outcomes
            .get_or_create(&OutcomeLabels {
                status: status.as_str(),
                transport: transport.to_string(),
            })
            .inc();
    }
}
