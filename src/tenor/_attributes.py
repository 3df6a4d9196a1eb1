"""The attribute vocabulary tenor speaks: Perspective's names, upper case."""

from __future__ import annotations

TOXICITY = "TOXICITY"
SEVERE_TOXICITY = "SEVERE_TOXICITY"
IDENTITY_ATTACK = "IDENTITY_ATTACK"
INSULT = "INSULT"
PROFANITY = "PROFANITY"
THREAT = "THREAT"
SEXUALLY_EXPLICIT = "SEXUALLY_EXPLICIT"

# Perspective's production attributes, in the order tenor reports them.
PERSPECTIVE_ATTRIBUTES: tuple[str, ...] = (
    TOXICITY,
    SEVERE_TOXICITY,
    IDENTITY_ATTACK,
    INSULT,
    PROFANITY,
    THREAT,
    SEXUALLY_EXPLICIT,
)

# tenor's own attributes, beyond Perspective's; returned only when a request names them.
# People described as vermin, disease, filth, animals or objects: less than human.
DEHUMANIZATION = "DEHUMANIZATION"
# Urging or endorsing violence against people, including by third parties (states, armies,
# "someone"). A superset of THREAT against people: a threat of violence is the speaker endorsing
# violence, while "the army should flatten them" is no threat by the speaker.
CALL_FOR_VIOLENCE = "CALL_FOR_VIOLENCE"
TENOR_ATTRIBUTES: tuple[str, ...] = (DEHUMANIZATION, CALL_FOR_VIOLENCE)

# One line per attribute, for the discovery document, `tenor score --help` and the docs. The
# Perspective ones follow Perspective's published definitions.
DEFINITIONS: dict[str, str] = {
    TOXICITY: "A rude, disrespectful, or unreasonable comment that is likely to make people leave a discussion.",
    SEVERE_TOXICITY: "A very hateful, aggressive, disrespectful comment; less sensitive to mild profanity than TOXICITY.",
    IDENTITY_ATTACK: "Negative or hateful comments targeting someone because of their identity.",
    INSULT: "Insulting, inflammatory, or negative comment towards a person or a group of people.",
    PROFANITY: "Swear words, curse words, or other obscene or profane language.",
    THREAT: "Describes an intention to inflict pain, injury, or violence against an individual or group.",
    SEXUALLY_EXPLICIT: "Contains references to sexual acts, body parts, or other lewd content.",
    DEHUMANIZATION: (
        "tenor: people described as less than human (vermin, disease, filth, animals, objects), "
        "e.g. 'they are rats', 'that cancer on our country'. Returned only when requested."
    ),
    CALL_FOR_VIOLENCE: (
        "tenor: urging or endorsing violence against people, by the speaker or by others such as states "
        "or armies, e.g. 'the army should flatten the lot of them'. Returned only when requested."
    ),
}

# Perspective's per-request text limit: 20 KB of UTF-8.
MAX_TEXT_BYTES = 20480
