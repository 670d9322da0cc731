"""A small headline-topic dataset, written for this package: offline, shipped in the wheel.

88 news headlines, each labelled with one of five topics. The split is fixed (24 train,
16 validation, 48 test; a seeded shuffle), so results are comparable across runs, the
tutorials and the benchmarks. SmolLM2-135M (the embedded model) gets about 0.7 of the test
set right zero-shot, which leaves room to watch training help.

Example:
    >>> from synalinks_nb.datasets import headlines
    >>> (x_train, y_train), (x_val, y_val), (x_test, y_test) = headlines.load_data()
    >>> len(x_train), len(x_val), len(x_test)
    (24, 16, 48)
    >>> x_train[0].headline, y_train[0].topic
    ('Oil prices climb after supply cut announced', 'business')
"""

from __future__ import annotations

import random
from typing import Literal

from synalinks_nb.data_models import DataModel, Field

__all__ = ["TOPICS", "Headline", "Topic", "load_data"]

TOPICS = ("sports", "politics", "technology", "business", "health")


class Headline(DataModel):
    """The input: one news headline."""

    headline: str = Field(description="A news headline")


class Topic(DataModel):
    """The label: the headline's topic, one of :data:`TOPICS`."""

    topic: Literal["sports", "politics", "technology", "business", "health"] = Field(
        description="The topic of the headline")


_DATA = [
    ('Striker scores twice as United beat City in derby', 'sports'),
    ('Senate passes budget bill after late-night vote', 'politics'),
    ('New smartphone chip promises longer battery life', 'technology'),
    ('Shares fall as central bank raises interest rates', 'business'),
    ('Study links daily walking to lower heart disease risk', 'health'),
    ('Tennis star wins fifth title on clay', 'sports'),
    ('President meets foreign leaders at summit', 'politics'),
    ('Startup releases open-source database engine', 'technology'),
    ('Oil prices climb after supply cut announced', 'business'),
    ('Hospitals report rise in flu cases this winter', 'health'),
    ('Marathon runner breaks national record', 'sports'),
    ('Parliament debates new immigration law', 'politics'),
    ('Software update fixes security flaw in browsers', 'technology'),
    ('Retail giant posts record quarterly profit', 'business'),
    ('Doctors warn about sugar intake in children', 'health'),
    ("Coach sacked after team's losing streak", 'sports'),
    ('Governor signs climate bill into law', 'politics'),
    ('Researchers unveil faster quantum processor', 'technology'),
    ('Oil prices climb after supply cut announced', 'business'),
    ('New vaccine shows promise in early trials', 'health'),
    ('Basketball finals go to game seven', 'sports'),
    ('Opposition party calls for early election', 'politics'),
    ('Cloud provider suffers major outage', 'technology'),
    ("Merger creates world's largest shipping firm", 'business'),
    ('Sleep loss tied to weaker immune response', 'health'),
    ('Cyclist takes yellow jersey in mountain stage', 'sports'),
    ('Minister resigns over expenses scandal', 'politics'),
    ('Robot vacuum maker launches app with maps', 'technology'),
    ('Stock market hits all-time high', 'business'),
    ('Clinic offers free screening for diabetes', 'health'),
    ('Goalkeeper saves penalty in cup final', 'sports'),
    ('Voters head to polls in tight mayoral race', 'politics'),
    ('Chipmaker announces new graphics card', 'technology'),
    ('Bank reports losses on bad loans', 'business'),
    ('Nurses call for more staff in emergency rooms', 'health'),
    ('Olympic swimmer retires after long career', 'sports'),
    ('Lawmakers reject tax reform proposal', 'politics'),
    ('Social network adds end-to-end encryption', 'technology'),
    ('Airline orders fifty new jets', 'business'),
    ('Eating more fiber may help digestion, experts say', 'health'),
    ('Rugby side wins championship in overtime', 'sports'),
    ('Prime minister announces cabinet reshuffle', 'politics'),
    ('Laptop sales slow as users keep devices longer', 'technology'),
    ('Coffee chain raises prices amid rising costs', 'business'),
    ('Measles outbreak prompts vaccination drive', 'health'),
    ('Golfer sinks putt to win open by one stroke', 'sports'),
    ('Court rules on election district maps', 'politics'),
    ('Electric car maker unveils new battery software', 'technology'),
    ('Inflation eases for third month in a row', 'business'),
    ('Mental health apps see surge in users', 'health'),
    ('Sprinter disqualified for false start', 'sports'),
    ('Senator launches campaign for presidency', 'politics'),
    ('Hackers steal data from online retailer', 'technology'),
    ('Factory output rises as demand recovers', 'business'),
    ('Surgeons perform first hand transplant in region', 'health'),
    ('Boxer defends heavyweight crown', 'sports'),
    ('Embassy reopens after diplomatic talks', 'politics'),
    ('Search engine adds AI-powered answers', 'technology'),
    ('Housing prices drop in major cities', 'business'),
    ('Health officials urge people to drink more water', 'health'),
    ('Team signs young midfielder on five-year deal', 'sports'),
    ('Referendum on independence set for spring', 'politics'),
    ('Video game studio delays big release', 'technology'),
    ("Tech firm's shares soar after earnings beat", 'business'),
    ('Allergy season starts early this year', 'health'),
    ('Skier wins downhill gold', 'sports'),
    ('Party leader faces vote of no confidence', 'politics'),
    ('Satellite internet service expands coverage', 'technology'),
    ('Supermarket chain to open 100 new stores', 'business'),
    ('Cancer survival rates improve, report finds', 'health'),
    ('Cricket captain hits century in test match', 'sports'),
    ('Congress holds hearing on border security', 'politics'),
    ('Smartwatch can now detect irregular heartbeat', 'technology'),
    ('Currency falls to lowest level in decade', 'business'),
    ('Gym memberships rise as people focus on fitness', 'health'),
    ('Hockey team clinches playoff spot', 'sports'),
    ('Mayor unveils plan to fix city roads', 'politics'),
    ('Programming language gets major new version', 'technology'),
    ('Pension fund invests in green energy', 'business'),
    ('Dentists recommend brushing twice a day', 'health'),
    ('Formula One driver takes pole position', 'sports'),
    ('Foreign minister condemns missile test', 'politics'),
    ('Phone maker recalls devices over overheating', 'technology'),
    ('Unemployment rate falls to record low', 'business'),
    ("Hospital opens new children's ward", 'health'),
    ('Volleyball team upsets favourites', 'sports'),
    ('Election commission announces final results', 'politics'),
    ('Streaming service raises subscription price', 'business'),
]

Split = tuple[list[Headline], list[Topic]]


def load_data() -> tuple[Split, Split, Split]:
    """``(x_train, y_train), (x_val, y_val), (x_test, y_test)``: 24, 16 and 48 samples."""
    rows = list(_DATA)
    random.Random(0).shuffle(rows)
    xs = [Headline(headline=h) for h, _ in rows]
    ys = [Topic(topic=t) for _, t in rows]
    return (xs[:24], ys[:24]), (xs[24:40], ys[24:40]), (xs[40:], ys[40:])
