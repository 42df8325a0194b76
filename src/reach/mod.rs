//! Reach: from "sent" to "posted". What influencers report they posted, the clicks on the
//! sources (counted, never who clicked), and the report that adds it all up per brief, theme,
//! platform and week against the weeks before.

mod post;
mod report;

pub use post::{PostUrl, PostUrlError, asks_something, platform_name, platforms};
pub use report::{
    BriefFacts, BriefRow, ClickFact, EditionSent, Figures, PlatformRow, PostFact, QuestionFact, ReachFacts, ReachQuery,
    ReachReport, TopicRow, WeekRow, build, parse_query, to_csv,
};
