"""The starter action set: three actions per competency, one of each kind.

Written by the CXPlan team as a place to start, not a recipe: a CX lead edits,
replaces or deletes them on the strategy page. `strategy_ensure()` writes them once.
Each entry is (competency key, kind, title, description).
"""

UNITE = "uniting_leadership"
PERMIT = "giving_permission"
PROVE = "proving_it"

STARTER_ACTIONS: tuple[tuple[str, str, str, str], ...] = (
    # Customers as assets
    (
        "customers_as_assets",
        UNITE,
        "Put customer value on the leadership scorecard",
        "Agree one figure for what a customer relationship is worth and review "
        "the customers won and lost at every leadership meeting.",
    ),
    (
        "customers_as_assets",
        PERMIT,
        "Let the front line save a customer without asking",
        "Give advisors a small goodwill budget they can spend on the spot to keep "
        "a customer who is about to leave.",
    ),
    (
        "customers_as_assets",
        PROVE,
        "Show the revenue at risk behind the top three",
        "Publish the revenue at risk of the top-ranked themes next to the cost of "
        "fixing them, so the trade-off is visible.",
    ),
    # Align around the experience
    (
        "align_around_experience",
        UNITE,
        "Give every key journey one executive owner",
        "Name an executive per journey (join, pay, get help, leave) who answers "
        "for it across departments.",
    ),
    (
        "align_around_experience",
        PERMIT,
        "Let teams fix hand-offs they can see",
        "Teams may change a hand-off between departments that makes customers "
        "repeat themselves, and tell the journey owner afterwards.",
    ),
    (
        "align_around_experience",
        PROVE,
        "Fund one journey end to end",
        "Pick the journey behind the top theme and fund its fix as one piece of "
        "work, not one ticket per department.",
    ),
    # A customer listening path
    (
        "listening_path",
        UNITE,
        "Review what customers said every month",
        "Leaders spend the first item of the monthly meeting on the ranking and "
        "three verbatim quotes, before any financials.",
    ),
    (
        "listening_path",
        PERMIT,
        "Every advisor can log an idea in two minutes",
        "Advisors submit what they hear from customers as ideas from the floor, "
        "and see what happened to each one.",
    ),
    (
        "listening_path",
        PROVE,
        "Close the loop with customers who told us",
        "When a fix ships, tell the customers who raised the problem what changed "
        "and measure whether they noticed.",
    ),
    # Proactive reliability and innovation
    (
        "proactive_reliability",
        UNITE,
        "Track contacts we caused, not just contacts we handled",
        "Leadership reviews the top reasons customers had to contact us and owns "
        "removing them.",
    ),
    (
        "proactive_reliability",
        PERMIT,
        "Warn customers before they notice",
        "Teams may contact affected customers first when something breaks, "
        "without waiting for sign-off on the wording.",
    ),
    (
        "proactive_reliability",
        PROVE,
        "Ship one fix that removes a contact reason",
        "Choose a frequent, avoidable contact reason and remove its cause; show "
        "the drop in contacts afterwards.",
    ),
    # One-company accountability, leadership and culture
    (
        "one_company",
        UNITE,
        "One shared customer goal in every leader's objectives",
        "Each leader carries the same customer metric in their objectives, so no "
        "department wins while customers lose.",
    ),
    (
        "one_company",
        PERMIT,
        "Recognise people who did right by a customer",
        "Tell the stories of staff who broke a silo to help a customer, and make "
        "it part of how people are recognised.",
    ),
    (
        "one_company",
        PROVE,
        "Leaders spend time where customers are",
        "Every leader listens to calls or works a shift on the front line each "
        "quarter and brings back one thing to change.",
    ),
)
