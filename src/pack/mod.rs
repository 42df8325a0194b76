//! Packs: a brief rendered for one language, and editions that carry several.
