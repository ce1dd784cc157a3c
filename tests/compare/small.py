"""Three short invented reports of one invented event, for logic tests."""

from __future__ import annotations

from rashomon.model import Article

TEXTS = {
    "north": (
        "Orlen Bridge closes after crack found\n\n"
        "The Orlen Bridge was closed on Monday after engineers found a crack in its steel deck. "
        "The city council said the steel bridge would stay shut for thirteen days. "
        "Mayor Ada Brook said: \"We will not take any risk with people's lives on this bridge.\" "
        "Ferries will carry commuters across the bay while repairs go on. "
        "Tolls on the Orlen Bridge were not raised after the closure."
    ),
    "south": (
        "Crack shuts Orlen Bridge\n\n"
        "Engineers found a crack in the steel deck of the Orlen Bridge, which was closed on Monday. "
        "The council said the steel bridge will remain closed for 13 days. "
        "Shopkeepers near the bridge fear a quiet month. "
        "Tolls on the Orlen Bridge were raised after the closure."
    ),
    "west": (
        "Bridge scandal: council hid the crack\n\n"
        "The Orlen Bridge was shut on Monday after a crack was found in its steel deck. "
        "The council admitted the wooden bridge will stay closed for 30 days. "
        "Critics called the closure a shocking disgrace for a reckless council."
    ),
}


def small_articles() -> list[Article]:
    return [Article(id=name, source=f"{name}.txt", text=text, outlet=name.title(), title=text.split("\n")[0])
            for name, text in TEXTS.items()]
