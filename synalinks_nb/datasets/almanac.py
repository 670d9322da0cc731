"""A small question-answering corpus for retrieval, written for this package: offline, shipped.

32 short passages of general knowledge (:class:`Document`: ``id``, ``title``,
``text``) and 48 questions about them. Each answer names its supporting passage
(``Answer.source``), so the same data serves retrieval benchmarks (did the
passage come back in the top k?) and RAG programs (is the answer right?).
Questions are phrased in the asker's words rather than copied from the passage,
some sharing few words with it, so keyword search and vector search do not
trivially agree. Several passages share vocabulary on purpose (two about lava,
two about bridges, two about bees and wasps) to give retrieval something to get
wrong. The split is fixed (16 train, 32 test; a seeded shuffle).

Example:
    >>> from synalinks_nb.datasets import almanac
    >>> documents = almanac.load_documents()
    >>> (x_train, y_train), (x_test, y_test) = almanac.load_data()
    >>> len(documents), len(x_train), len(x_test)
    (32, 16, 32)
    >>> y_train[0].source in {d.id for d in documents}
    True
"""

from __future__ import annotations

import random

from synalinks_nb.data_models import DataModel, Field

__all__ = ["Answer", "Document", "Question", "load_data", "load_documents"]


class Document(DataModel):
    """A passage of the corpus; ``id`` is its primary key in a knowledge base."""

    id: str = Field(description="The passage identifier")
    title: str = Field(description="The passage title")
    text: str = Field(description="The passage text")


class Question(DataModel):
    """The input: a question about one passage."""

    question: str = Field(description="A question")


class Answer(DataModel):
    """The label: a short answer and the id of the passage that supports it."""

    answer: str = Field(description="A short answer")
    source: str = Field(description="The id of the passage that supports the answer")


_DOCUMENTS = [
    ("tides", "Tides", "Ocean tides rise and fall mainly because of the Moon's gravity pulling on "
     "the oceans; the Sun adds a smaller pull. Most coasts see two high tides a day."),
    ("volcano", "Volcanoes", "A volcano erupts when molten rock from deep underground, called "
     "magma, reaches the surface. Once it flows out it is called lava."),
    ("lava-lamp", "Lava lamps", "A lava lamp is a decorative light invented in 1963: a bulb heats "
     "blobs of wax in a glass bottle of liquid, so they rise, cool and sink again."),
    ("bees", "Honey bees", "Honey bees make honey from flower nectar and store it in wax combs. "
     "A worker bee tells others where flowers are with a waggle dance."),
    ("wasps", "Wasps", "Most wasps do not make honey. Paper wasps build nests from chewed wood "
     "fibre, and many wasps hunt other insects to feed their young."),
    ("golden-gate", "Golden Gate Bridge", "The Golden Gate Bridge in San Francisco opened in "
     "1937. Its colour, international orange, was chosen to stay visible in the fog."),
    ("tower-bridge", "Tower Bridge", "Tower Bridge in London, finished in 1894, is a bascule "
     "bridge: its two road decks lift so that tall ships can pass along the Thames."),
    ("photosynthesis", "Photosynthesis", "Plants use sunlight, water and carbon dioxide to make "
     "sugar in their leaves, releasing oxygen. The green pigment chlorophyll captures the light."),
    ("everest", "Mount Everest", "Mount Everest, on the border of Nepal and China, is the "
     "highest mountain above sea level at about 8,849 metres."),
    ("mariana", "Mariana Trench", "The Mariana Trench in the western Pacific is the deepest part "
     "of the ocean; its Challenger Deep lies nearly 11,000 metres below the surface."),
    ("nile", "The Nile", "The Nile flows north through eleven countries and empties into the "
     "Mediterranean Sea. It is often named the longest river in the world."),
    ("sahara", "The Sahara", "The Sahara is the largest hot desert on Earth, covering much of "
     "North Africa. Only a small part of it is sand dunes; most is rocky plateau."),
    ("penicillin", "Penicillin", "Alexander Fleming discovered penicillin in 1928 when mould "
     "killed bacteria in a dish he had left out. It became the first widely used antibiotic."),
    ("vaccines", "Vaccines", "Edward Jenner showed in 1796 that material from cowpox could "
     "protect people against smallpox, the first vaccine."),
    ("printing", "Printing press", "Johannes Gutenberg built a printing press with movable metal "
     "type around 1440 in Mainz, making books far cheaper to produce."),
    ("telephone", "Telephone", "Alexander Graham Bell received the first patent for a telephone "
     "in 1876; his first words on it were to his assistant, Thomas Watson."),
    ("octopus", "Octopuses", "An octopus has three hearts and blue blood, which carries oxygen "
     "with a copper-based protein. It can change colour to hide from predators."),
    ("hummingbird", "Hummingbirds", "Hummingbirds beat their wings up to about 80 times a "
     "second and are the only birds that can fly backwards."),
    ("jupiter", "Jupiter", "Jupiter is the largest planet in the solar system, a gas giant with "
     "a storm, the Great Red Spot, wider than the Earth."),
    ("mars", "Mars", "Mars looks red because iron oxide, rust, covers its dusty surface. It has "
     "the tallest volcano known in the solar system, Olympus Mons."),
    ("moon-landing", "Moon landing", "Apollo 11 landed on the Moon in July 1969; Neil Armstrong "
     "was the first person to walk on its surface, followed by Buzz Aldrin."),
    ("bread", "Bread", "Yeast makes bread rise: it feeds on sugar in the dough and releases "
     "carbon dioxide gas, which is trapped as bubbles by gluten."),
    ("coffee", "Coffee", "Coffee beans are the roasted seeds of the coffee plant's red berries. "
     "Caffeine in coffee blocks a brain chemical that makes people feel tired."),
    ("chess", "Chess", "In chess a player wins by checkmate: the opposing king is attacked and "
     "has no legal move to escape. Each side starts with sixteen pieces."),
    ("olympics", "Olympic Games", "The modern Olympic Games were first held in Athens in 1896, "
     "revived by Pierre de Coubertin after the ancient Greek games."),
    ("rainbow", "Rainbows", "A rainbow appears when sunlight is bent and reflected inside "
     "raindrops, splitting white light into colours from red to violet."),
    ("thunder", "Thunder", "Lightning heats the air around it so fast that the air expands "
     "explosively; that shock wave is the sound we hear as thunder."),
    ("great-wall", "Great Wall of China", "The Great Wall of China was built and rebuilt over "
     "many centuries to defend northern borders; most of what stands today is from the Ming "
     "dynasty."),
    ("pyramids", "Pyramids of Giza", "The Great Pyramid of Giza was built for the pharaoh Khufu "
     "about 4,500 years ago and was the tallest structure made by people for millennia."),
    ("internet", "The web", "Tim Berners-Lee invented the World Wide Web in 1989 at CERN, "
     "proposing linked hypertext pages that browsers fetch over the internet."),
    ("recycling", "Recycling aluminium", "Recycling an aluminium can uses about 95 percent less "
     "energy than making a new one from bauxite ore."),
    ("sleep", "Sleep", "Adults generally need seven to nine hours of sleep a night; during deep "
     "sleep the body repairs tissue and the brain consolidates memories."),
]

_QUESTIONS = [
    ("What mainly causes the sea to rise and fall twice a day?", "The Moon's gravity", "tides"),
    ("What is molten rock called once it pours out of a volcano?", "Lava", "volcano"),
    ("What is melted rock called while it is still underground?", "Magma", "volcano"),
    ("In what year was the lava lamp invented?", "1963", "lava-lamp"),
    ("What moves up and down inside a lava lamp?", "Blobs of wax", "lava-lamp"),
    ("How does a worker bee tell the hive where flowers are?", "A waggle dance", "bees"),
    ("What do paper wasps build their nests from?", "Chewed wood fibre", "wasps"),
    ("When did the Golden Gate Bridge open?", "1937", "golden-gate"),
    ("Why is the San Francisco bridge painted orange?", "To stay visible in the fog",
     "golden-gate"),
    ("Which London bridge lifts its roadway for ships?", "Tower Bridge", "tower-bridge"),
    ("Which pigment lets leaves capture light?", "Chlorophyll", "photosynthesis"),
    ("Which gas do plants give off when they make sugar?", "Oxygen", "photosynthesis"),
    ("How tall is the world's highest peak?", "About 8,849 metres", "everest"),
    ("Between which two countries does Everest stand?", "Nepal and China", "everest"),
    ("Where is the deepest point of the ocean?", "The Challenger Deep in the Mariana Trench",
     "mariana"),
    ("Into which sea does the Nile empty?", "The Mediterranean Sea", "nile"),
    ("Is most of the Sahara covered in sand dunes?", "No, most is rocky plateau", "sahara"),
    ("Who discovered the first widely used antibiotic?", "Alexander Fleming", "penicillin"),
    ("Which disease did the first vaccine protect against?", "Smallpox", "vaccines"),
    ("Who made books cheap with movable metal type?", "Johannes Gutenberg", "printing"),
    ("Who got the first patent for the telephone?", "Alexander Graham Bell", "telephone"),
    ("How many hearts does an octopus have?", "Three", "octopus"),
    ("Why is an octopus's blood blue?", "A copper-based protein carries its oxygen", "octopus"),
    ("Which birds can fly backwards?", "Hummingbirds", "hummingbird"),
    ("What is the biggest planet orbiting the Sun?", "Jupiter", "jupiter"),
    ("What is the giant storm on Jupiter called?", "The Great Red Spot", "jupiter"),
    ("Why is the red planet red?", "Iron oxide (rust) covers its surface", "mars"),
    ("Where is the tallest known volcano?", "On Mars (Olympus Mons)", "mars"),
    ("Who first walked on the Moon?", "Neil Armstrong", "moon-landing"),
    ("What gas makes dough rise?", "Carbon dioxide", "bread"),
    ("Why does coffee keep people awake?", "Caffeine blocks a brain chemical that causes "
     "tiredness", "coffee"),
    ("How is a game of chess won?", "By checkmate", "chess"),
    ("Where were the first modern Olympics held?", "Athens, in 1896", "olympics"),
    ("What splits sunlight into colours after rain?", "Raindrops bending and reflecting it",
     "rainbow"),
    ("What makes the rumbling sound during a storm?", "Air expanding explosively when "
     "lightning heats it", "thunder"),
    ("From which dynasty are most surviving parts of the Great Wall?", "The Ming dynasty",
     "great-wall"),
    ("For which pharaoh was the Great Pyramid built?", "Khufu", "pyramids"),
    ("Who invented the World Wide Web?", "Tim Berners-Lee", "internet"),
    ("How much energy does recycling a drink can save?", "About 95 percent", "recycling"),
    ("How many hours of sleep do adults need?", "Seven to nine", "sleep"),
    ("What does the brain do with memories during deep sleep?", "Consolidates them", "sleep"),
    ("Which heavenly body pulls the oceans most strongly?", "The Moon", "tides"),
    ("What do honey bees store their honey in?", "Wax combs", "bees"),
    ("Do most wasps make honey?", "No", "wasps"),
    ("When was Tower Bridge completed?", "1894", "tower-bridge"),
    ("What is the longest river often said to be?", "The Nile", "nile"),
    ("Which spacecraft mission first landed people on the Moon?", "Apollo 11", "moon-landing"),
    ("How many pieces does each chess player start with?", "Sixteen", "chess"),
]

Split = tuple[list[Question], list[Answer]]


def load_documents() -> list[Document]:
    """The 32 passages, in a fixed order."""
    return [Document(id=i, title=t, text=x) for i, t, x in _DOCUMENTS]


def load_data() -> tuple[Split, Split]:
    """``(x_train, y_train), (x_test, y_test)``: 16 and 32 questions with answers."""
    rows = list(_QUESTIONS)
    random.Random(0).shuffle(rows)
    xs = [Question(question=q) for q, _, _ in rows]
    ys = [Answer(answer=a, source=s) for _, a, s in rows]
    return (xs[:16], ys[:16]), (xs[16:], ys[16:])
