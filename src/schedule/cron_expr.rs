//! Cron expressions as coordinators write them, handed to the `cron` crate in the form it reads.

use std::fmt;
use std::str::FromStr;

use super::ScheduleError;

/// A validated cron expression. It keeps the text the coordinator wrote (that is what gets stored
/// and shown back) and the `cron` crate's parse of its normalised form.
#[derive(Clone)]
pub struct CronExpr {
    source: String,
    parsed: cron::Schedule,
}

impl CronExpr {
    /// Parses standard 5-field cron (`min hour dom month dow`), the `cron` crate's own 6- or
    /// 7-field form (`sec min hour dom month dow [year]`), or a shorthand such as `@daily`.
    pub fn parse(expression: &str) -> Result<Self, ScheduleError> {
        let source = expression.split_whitespace().collect::<Vec<_>>().join(" ");
        let normalised = normalise(&source)?;
        let parsed = cron::Schedule::from_str(&normalised).map_err(|e| ScheduleError::BadCron {
            expression: source.clone(),
            reason: e.to_string(),
        })?;
        // A typo such as `0 9 31 2 *` (31 February) parses but would leave the schedule silent forever.
        // Checked from 1970 rather than from now, so that validity does not change with the clock.
        if parsed.after(&chrono::DateTime::UNIX_EPOCH).next().is_none() {
            return Err(ScheduleError::NeverRuns { expression: source });
        }
        Ok(CronExpr { source, parsed })
    }

    /// The expression as written (whitespace collapsed), for storage and display.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// The `cron` crate's view: fields are matched against wall-clock time.
    pub(crate) fn fields(&self) -> &cron::Schedule {
        &self.parsed
    }
}

impl fmt::Debug for CronExpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("CronExpr").field(&self.source).finish()
    }
}

impl fmt::Display for CronExpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

impl PartialEq for CronExpr {
    fn eq(&self, other: &Self) -> bool {
        self.source == other.source
    }
}

impl Eq for CronExpr {}

impl FromStr for CronExpr {
    type Err = ScheduleError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CronExpr::parse(s)
    }
}

/// Turns the text into what the `cron` crate reads. `source` has single spaces between fields.
fn normalise(source: &str) -> Result<String, ScheduleError> {
    let fields: Vec<&str> = source.split(' ').filter(|f| !f.is_empty()).collect();
    match fields.as_slice() {
        [shorthand] if shorthand.starts_with('@') => Ok(shorthand.to_string()),
        [minute, hour, day_of_month, month, day_of_week] => {
            // Standard cron fires when EITHER day field matches; the `cron` crate requires BOTH.
            // Rather than silently pick one meaning, ask the coordinator to say which they want.
            if restricts(day_of_month) && restricts(day_of_week) {
                return Err(ScheduleError::BothDayFields {
                    expression: source.to_string(),
                });
            }
            let day_of_week = standard_days_of_week(source, day_of_week)?;
            // The crate's first field is seconds: editions go out on the minute.
            Ok(format!("0 {minute} {hour} {day_of_month} {month} {day_of_week}"))
        }
        [_, _, _, _, _, _] | [_, _, _, _, _, _, _] => Ok(source.to_string()),
        _ => Err(ScheduleError::FieldCount {
            expression: source.to_string(),
            found: fields.len(),
        }),
    }
}

fn restricts(field: &str) -> bool {
    field != "*" && field != "?"
}

/// Standard cron numbers days 0–7 from Sunday (0 and 7 are both Sunday); the `cron` crate numbers
/// them 1–7 from Sunday, so `0 9 * * 1` would mean Sunday there. Numbers become day names, which
/// both agree on.
fn standard_days_of_week(expression: &str, field: &str) -> Result<String, ScheduleError> {
    const NAMES: [&str; 8] = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"];
    let bad = |reason: &str| ScheduleError::BadCron {
        expression: expression.to_string(),
        reason: format!("day of week `{field}`: {reason}"),
    };
    let name = |token: &str| -> Result<String, ScheduleError> {
        match token.parse::<usize>() {
            Ok(n) => NAMES
                .get(n)
                .map(|s| s.to_string())
                .ok_or_else(|| bad(&format!("{n} is not a day (use 0-7 or SUN-SAT)"))),
            Err(_) => Ok(token.to_string()),
        }
    };
    let mut items = Vec::new();
    for item in field.split(',') {
        let (base, step) = match item.split_once('/') {
            Some((base, step)) => (base, Some(step)),
            None => (item, None),
        };
        let translated = match base.split_once('-') {
            // `*/2` selects the same days in both numberings, since both count from Sunday.
            None if base == "*" || base == "?" => base.to_string(),
            None if step.is_some() => {
                return Err(bad("a step needs a range or `*` (for example MON-FRI/2)"));
            }
            None => name(base)?,
            // Sunday as 7 closes a range in standard cron but would wrap below Monday in the crate.
            Some((from, "7")) if step.is_none() && from != "0" => format!("{}-SAT,SUN", name(from)?),
            Some((_, "7")) if step.is_some() => {
                return Err(bad(
                    "a stepped range cannot end at 7; write the days out (for example MON,WED,SUN)",
                ));
            }
            Some((from, to)) => format!("{}-{}", name(from)?, name(to)?),
        };
        items.push(match step {
            Some(step) => format!("{translated}/{step}"),
            None => translated,
        });
    }
    Ok(items.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_fields_get_a_zero_seconds_field() {
        assert_eq!(normalise("0 9 * * *").unwrap(), "0 0 9 * * *");
        assert_eq!(normalise("30 3 1 * ?").unwrap(), "0 30 3 1 * ?");
    }

    #[test]
    fn six_and_seven_fields_pass_through() {
        assert_eq!(normalise("15 0 9 * * *").unwrap(), "15 0 9 * * *");
        assert_eq!(normalise("0 0 9 * * * 2026").unwrap(), "0 0 9 * * * 2026");
    }

    #[test]
    fn standard_day_numbers_become_names() {
        assert_eq!(normalise("0 9 * * 1").unwrap(), "0 0 9 * * MON");
        assert_eq!(normalise("0 9 * * 0,7").unwrap(), "0 0 9 * * SUN,SUN");
        assert_eq!(normalise("0 9 * * 1-5").unwrap(), "0 0 9 * * MON-FRI");
        assert_eq!(normalise("0 9 * * 5-7").unwrap(), "0 0 9 * * FRI-SAT,SUN");
        assert_eq!(normalise("0 9 * * 1-5/2").unwrap(), "0 0 9 * * MON-FRI/2");
        assert_eq!(normalise("0 9 * * */2").unwrap(), "0 0 9 * * */2");
        assert_eq!(normalise("0 9 * * mon").unwrap(), "0 0 9 * * mon");
    }

    #[test]
    fn day_numbers_out_of_range_are_named_in_the_error() {
        let err = normalise("0 9 * * 8").unwrap_err();
        assert_eq!(
            err.to_string(),
            "cron: `0 9 * * 8` is not a cron expression: day of week `8`: 8 is not a day (use 0-7 or SUN-SAT)"
        );
    }

    #[test]
    fn both_day_fields_are_refused_in_five_field_form() {
        let err = normalise("0 9 1 * 1").unwrap_err();
        assert!(matches!(err, ScheduleError::BothDayFields { .. }), "{err}");
    }

    #[test]
    fn wrong_field_counts_are_refused() {
        let err = normalise("0 9 * *").unwrap_err();
        assert_eq!(
            err.to_string(),
            "cron: `0 9 * *` has 4 fields; write 5 (min hour day month weekday) or 6-7 (sec min hour day month weekday [year])"
        );
    }
}
