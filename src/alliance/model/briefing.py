"""Quotes from the December 2006 briefing (``shared/briefing.txt``) that parameters cite as
provenance; ``tests/model/test_parameters.py`` checks each against the briefing's text."""

from __future__ import annotations

Q_MOST_ACTIVE = "Kazakstan was the alliance's most active partner in the region"
Q_LIMITS = "both sides know there are limits they must not transgress"
Q_BASES = "military bases on Kazak territory are out of the question"
Q_EXPANSION = "It would foolish to suggest that NATO has any kind of expansionist interests in Kazakstan"
Q_LOST = (
    "NATO has lost out in Uzbekistan and the future of the [United States-led Coalition] "
    "military base in Kyrgyzstan is unclear, so cooperation with Kazakstan is growing"
)
Q_SANCTIONS = (
    "Russia would probably impose some kind of economic sanctions on Kazakstan if it got "
    "involved in NATO plans to support of Georgia and Ukraine with energy"
)
Q_RISKY = (
    "moving towards greater military, technical and energy cooperation with NATO could be risky, "
    "as Russia might see this as a threat to its own national security"
)
Q_BLOCS = (
    "the boundaries set by Kazak membership of the Collective Security Treaty Organisation and "
    "the Shanghai Cooperation Organisation"
)
Q_RIGA = (
    "Kazakstan becomes NATO's prime partner in the key areas of energy security and support for "
    "the peacekeeping operation in Afghanistan"
)
Q_BALANCING = (
    "Kazakstan has proved quite adept at balancing the interests of the United States, the "
    "European Union and Russia"
)
Q_PFP = (
    "Kazakstan works with NATO both as a Partnership for Peace member and also on ecological "
    "and humanitarian information projects"
)
