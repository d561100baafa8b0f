"""Guard the model's track record: the calibration episodes keep their hindcast score.

The score at the shipped seeds and 500 replications is 14 / 22 (docs/validation.md), also after
the draws were conditioned on the quiet status quo and hedging moved to the threat hazard (14 at
seeds 1-5 too; the 10 new episodes: 6 / 20). It was
17 / 22 before issue 10: the episodes' recoding on the one integration scale (item 7) cost B1's
response and M0's outcome, and the steady start (no burn-in drift, no noise protests) moved K1, A1
and U1 to "held". A change that loses points must be deliberate: update docs/validation.md and
this bound in the same commit.

The ten episodes added from `episodes-more.md` were out of sample when they were added (6 / 20 at
the defaults). Issue 11's rule that the partner banks a partial take-up of its request instead of
refusing it (``rules.judge_requests``) was a deliberate trade measured on all 21: the whole folder
went from 20 to 24 / 42 (outcomes 8 → 12: FI22, SE22, TM09, U14, UZ01 now deepen, as recorded),
and this guard's eleven from 14 to 13 (UG9, recorded as held, now deepens: its balancer keeps the
0.38 it took up of the MAP request). Since the shipped posterior is fitted to all 21 episodes,
the whole folder is guarded too, so that neither set can lose points silently. Issue 11's second
rule (the economic line is a pull toward sanctions weighed against the hegemon's own cost, not a
certainty) raised the folder to 25 / 42 (GE14's outcome deepens, as recorded); the eleven stay at 13.
Session 19's rule that a fall in bloc commitment hardens the hegemon (``rules.defection_hardening``)
raised the folder to 26 / 42 (AM24's economic response, as recorded). Session 20 encoded LT06
(``lt06_lithuania_2006``, the last lead of ``episodes-more.md`` the model can express): 27 / 44
(its outcome deepens, as recorded; its economic response is missed, p 1.00 for none). Session 20's
rule that measures in force are still feared (``rules.marginal_utility``: a sanctioned balancer is
no longer pulled west the harder the sanctions) raised the eleven to 15 / 22 (M0 and UG9 outcomes
held, as recorded; U14's outcome lost) and the folder to 28 / 44.
"""

from __future__ import annotations

from alliance.analysis.validate import score, validate_files
from alliance.model.scenario_files import scenarios_dir

SHIPPED_SCORE = 15
FOLDER_SCORE = 28
IN_SAMPLE = ("a1_armenia_2013", "b1_belarus_2009", "g1_georgia_2006", "k1_kazakhstan_2006",
             "k2_kazakhstan_2018", "kn_kazakhstan_2010", "m0_moldova_2006", "u1_ukraine_2013",
             "ug6_ukraine_2006", "ug9_ukraine_2009", "z1_uzbekistan_2005")


def test_calibration_episodes_keep_their_score():
    folder = scenarios_dir() / "episodes"
    results = validate_files([folder / f"{name}.yaml" for name in IN_SAMPLE])
    got, most = score(results)
    assert most == 22
    assert got >= SHIPPED_SCORE, f"hindcast score fell to {got}/{most}"


def test_the_whole_episode_folder_keeps_its_score():
    results = validate_files([scenarios_dir() / "episodes"])
    got, most = score(results)
    assert most == 44
    assert got >= FOLDER_SCORE, f"hindcast score of the whole folder fell to {got}/{most}"


def test_the_shipped_posterior_was_fitted_to_the_shipped_episodes():
    """``data/posterior.json`` is refitted whenever an episode file changes (docs/validation.md), so
    that ``alliance validate --posterior data/posterior.json`` scores the shipped folder in sample
    and any other episode as out of sample; a stale posterior would be refused."""
    from pathlib import Path

    from alliance.analysis.validate import episode_files
    from alliance.model.posterior import episode_hash, fitted_split, load_posterior

    path = Path(__file__).resolve().parents[2] / "data" / "posterior.json"
    post = load_posterior(path)
    files = episode_files([scenarios_dir() / "episodes"])
    assert post.episode_hash == episode_hash(files)
    assert fitted_split(post, path, files) == ([f.name for f in files], [])
    assert post.discrepancy is not None
