"""The community's fixed vocabularies: moderation statuses, report reasons, proposal moves."""

MODERATION_STATUSES = ("visible", "held", "hidden")
REPORT_REASONS = ("spam", "abuse", "off_topic", "personal_data", "misleading", "illegal", "other")
MODERATED_KINDS = ("comment", "proposal", "feedback")

PROPOSAL_STATES = ("submitted", "voting", "declined", "in_progress", "fulfilled")
# state -> the states it may move to
PROPOSAL_MOVES = {
    "submitted": ("voting", "declined"),
    "voting": ("in_progress", "declined"),
    "in_progress": ("fulfilled",),
    "declined": (),
    "fulfilled": (),
}
# what a move to a state needs
PROPOSAL_NEEDS = {"declined": "reason", "in_progress": "organization", "fulfilled": "dataset"}
