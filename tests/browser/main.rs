//! The console in a real browser: Chromium through WebDriver (`BRIEFCAST_TEST_WEBDRIVER_URL`,
//! chromedriver's address), every page visited checked with axe-core (`BRIEFCAST_TEST_AXE_JS`,
//! the path of `axe.min.js` from its npm package) for serious or critical WCAG 2.1 A/AA
//! violations. `.ci/run` installs and starts both; without them these tests skip, and under
//! `CI=true` they fail instead.
//!
//! With `BRIEFCAST_TEST_SCREENSHOTS` set to a folder, the main pages are saved there at phone
//! (390 px) and laptop (1280 px) width, for people to look at.

#[macro_use]
#[path = "../common/mod.rs"]
mod common;

mod console;
mod email;
mod pack_page;
mod reach;
mod sending;
mod support;
