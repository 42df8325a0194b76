//! Prometheus metrics, served at `GET /metrics` in the text exposition format.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
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

/// The daemon's metrics. Parts of the flow add their families here as they arrive.
pub struct Metrics {
    registry: Registry,
    pub http_requests: Family<HttpLabels, Counter>,
    pub roster_rows: Family<ImportLabels, Counter>,
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
        Metrics {
            registry,
            http_requests,
            roster_rows,
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
}
