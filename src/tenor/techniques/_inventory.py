"""The SemEval-2023 Task 3 persuasion-technique inventory (subtask 3), with readable names.

Names are the organisers' identifiers; `label` is what reports and the UI show, `description` a
one-line gloss (after the organisers' annotation guidelines) for legends and tooltips.
"""

from __future__ import annotations

__all__ = [
    "TECHNIQUES",
    "TECHNIQUE_COLOURS",
    "TECHNIQUE_DESCRIPTIONS",
    "TECHNIQUE_LABELS",
    "UNKNOWN_TECHNIQUE_COLOURS",
]

# The organisers' order. Four never occur in the English labels (Appeal_to_Time, Appeal_to_Values,
# Consequential_Oversimplification, Questioning_the_Reputation): a model trained on English cannot
# predict them, but they stay in the inventory so macro-F1 follows the official definition.
TECHNIQUES = (
    "Appeal_to_Authority", "Appeal_to_Popularity", "Appeal_to_Values", "Appeal_to_Fear-Prejudice", "Flag_Waving",
    "Causal_Oversimplification", "False_Dilemma-No_Choice", "Consequential_Oversimplification", "Straw_Man",
    "Red_Herring", "Whataboutism", "Slogans", "Appeal_to_Time", "Conversation_Killer", "Loaded_Language",
    "Repetition", "Exaggeration-Minimisation", "Obfuscation-Vagueness-Confusion", "Name_Calling-Labeling", "Doubt",
    "Guilt_by_Association", "Appeal_to_Hypocrisy", "Questioning_the_Reputation",
)  # fmt: skip

TECHNIQUE_LABELS = {
    "Appeal_to_Authority": "Appeal to authority",
    "Appeal_to_Popularity": "Appeal to popularity",
    "Appeal_to_Values": "Appeal to values",
    "Appeal_to_Fear-Prejudice": "Appeal to fear or prejudice",
    "Flag_Waving": "Flag-waving",
    "Causal_Oversimplification": "Causal oversimplification",
    "False_Dilemma-No_Choice": "False dilemma",
    "Consequential_Oversimplification": "Consequential oversimplification",
    "Straw_Man": "Straw man",
    "Red_Herring": "Red herring",
    "Whataboutism": "Whataboutism",
    "Slogans": "Slogan",
    "Appeal_to_Time": "Appeal to time",
    "Conversation_Killer": "Conversation killer",
    "Loaded_Language": "Loaded language",
    "Repetition": "Repetition",
    "Exaggeration-Minimisation": "Exaggeration or minimisation",
    "Obfuscation-Vagueness-Confusion": "Obfuscation or vagueness",
    "Name_Calling-Labeling": "Name calling or labelling",
    "Doubt": "Doubt",
    "Guilt_by_Association": "Guilt by association",
    "Appeal_to_Hypocrisy": "Appeal to hypocrisy",
    "Questioning_the_Reputation": "Questioning the reputation",
}

TECHNIQUE_DESCRIPTIONS = {
    "Appeal_to_Authority": "A claim held true because an authority or expert said it.",
    "Appeal_to_Popularity": "A claim held true because many people, or 'everybody', hold it.",
    "Appeal_to_Values": "A claim tied to values the audience holds dear (tradition, religion, ethics).",
    "Appeal_to_Fear-Prejudice": "Support sought by stirring fear of an outcome or prejudice against a group.",
    "Flag_Waving": "Playing on patriotism or group identity to justify an idea.",
    "Causal_Oversimplification": "One cause given for an outcome that has several.",
    "False_Dilemma-No_Choice": "Two options presented as the only ones.",
    "Consequential_Oversimplification": "A first step said to lead inevitably to extreme consequences.",
    "Straw_Man": "An opponent's position replaced by a distorted one that is easier to refute.",
    "Red_Herring": "An irrelevant topic introduced to divert attention.",
    "Whataboutism": "A charge deflected by accusing the opponent of something else.",
    "Slogans": "A brief, striking phrase standing in for an argument.",
    "Appeal_to_Time": "Urgency: now is the moment to act.",
    "Conversation_Killer": "Words that discourage critical thought and end discussion.",
    "Loaded_Language": "Words chosen for their emotional charge.",
    "Repetition": "The same message repeated to make it stick.",
    "Exaggeration-Minimisation": "Something made larger, better or worse, or smaller, than it is.",
    "Obfuscation-Vagueness-Confusion": "Deliberately unclear wording that lets the audience read in what it wants.",
    "Name_Calling-Labeling": "A person or group labelled with something the audience fears, hates or admires.",
    "Doubt": "The credibility of someone or something questioned.",
    "Guilt_by_Association": "An opponent linked to a group or person the audience dislikes.",
    "Appeal_to_Hypocrisy": "An opponent attacked as a hypocrite instead of answered.",
    "Questioning_the_Reputation": "An opponent's character attacked to undermine the argument.",
}


# One colour pair per technique (fill, edge), shared by the HTML report and the review UI (whose
# stylesheet's .tN rules must match: tests/test_techniques.py checks), so a technique looks the same
# everywhere. The most frequent techniques in news get the most distinct hues; every fill keeps
# dark text above 7:1 contrast.
TECHNIQUE_COLOURS = {
    "Appeal_to_Authority": ("#b0e0ff", "#0063a3"),
    "Appeal_to_Popularity": ("#a0f0c0", "#129145"),
    "Appeal_to_Values": ("#e0e0a0", "#838320"),
    "Appeal_to_Fear-Prejudice": ("#e0b0ff", "#6300a3"),
    "Flag_Waving": ("#8fe3d8", "#1a897b"),
    "Causal_Oversimplification": ("#d9c7a0", "#7e6225"),
    "False_Dilemma-No_Choice": ("#ffc890", "#a35200"),
    "Consequential_Oversimplification": ("#d8b8a8", "#7b4428"),
    "Straw_Man": ("#e8c0e8", "#802380"),
    "Red_Herring": ("#f0a0a0", "#911212"),
    "Whataboutism": ("#d0e890", "#6d8d16"),
    "Slogans": ("#f5f07a", "#9a9409"),
    "Appeal_to_Time": ("#b8e8e0", "#208373"),
    "Conversation_Killer": ("#c9c9ff", "#0000a3"),
    "Loaded_Language": ("#ffb3a7", "#a31600"),
    "Repetition": ("#ffb3de", "#a3005c"),
    "Exaggeration-Minimisation": ("#ffd97a", "#a37500"),
    "Obfuscation-Vagueness-Confusion": ("#c8d8e8", "#26527d"),
    "Name_Calling-Labeling": ("#a8c8ff", "#003ca3"),
    "Doubt": ("#c4f0a0", "#4b9112"),
    "Guilt_by_Association": ("#90d0d0", "#277c7c"),
    "Appeal_to_Hypocrisy": ("#f0d0b0", "#8e5215"),
    "Questioning_the_Reputation": ("#e8a8c8", "#881b52"),
}
UNKNOWN_TECHNIQUE_COLOURS = (
    "#e4e4e4",
    "#777777",
)  # a name outside the inventory (a newer model): grey, never dropped
