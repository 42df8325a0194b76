//! Which ready-to-post texts a reader sees first: those for the platforms they post on, as the
//! roster records them. The others follow under "Also for …", so a TikTok-only influencer does
//! not scroll past Instagram and YouTube texts to find theirs.

/// A platform a pack has a ready-to-post text for, in the order packs show them by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PackPlatform {
    Instagram,
    TikTok,
    YouTube,
    X,
}

impl PackPlatform {
    pub(crate) const ALL: [PackPlatform; 4] = [
        PackPlatform::Instagram,
        PackPlatform::TikTok,
        PackPlatform::YouTube,
        PackPlatform::X,
    ];

    /// As the roster names it.
    pub(crate) fn code(self) -> &'static str {
        match self {
            PackPlatform::Instagram => "instagram",
            PackPlatform::TikTok => "tiktok",
            PackPlatform::YouTube => "youtube",
            PackPlatform::X => "x",
        }
    }

    /// Its own name, the same in every language.
    pub(crate) fn name(self) -> &'static str {
        match self {
            PackPlatform::Instagram => "Instagram",
            PackPlatform::TikTok => "TikTok",
            PackPlatform::YouTube => "YouTube",
            PackPlatform::X => "X",
        }
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

/// The pack platforms one reader posts on. Readers with the same set get the same email, so
/// an edition is composed once per language and set (at most sixteen), not once per reader.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct ReaderPlatforms(u8);

impl ReaderPlatforms {
    /// No preference known: every text in the default order, none folded.
    pub const NONE: ReaderPlatforms = ReaderPlatforms(0);

    /// From the roster's platform names; those packs have no text for (Facebook, say) add nothing.
    pub fn of<S: AsRef<str>>(platforms: &[S]) -> ReaderPlatforms {
        let bits = PackPlatform::ALL
            .into_iter()
            .filter(|p| {
                platforms
                    .iter()
                    .any(|name| name.as_ref().eq_ignore_ascii_case(p.code()))
            })
            .fold(0, |bits, p| bits | p.bit());
        ReaderPlatforms(bits)
    }

    pub(crate) fn uses(self, platform: PackPlatform) -> bool {
        self.0 & platform.bit() != 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_pack_platforms_count_and_case_does_not_matter() {
        let reader = ReaderPlatforms::of(&["TikTok", "facebook"]);
        assert!(reader.uses(PackPlatform::TikTok));
        assert!(!reader.uses(PackPlatform::Instagram));
        assert_eq!(ReaderPlatforms::of(&["facebook"]), ReaderPlatforms::NONE);
        assert_eq!(
            ReaderPlatforms::of(&["x", "youtube"]),
            ReaderPlatforms::of(&["youtube", "x"])
        );
    }
}
