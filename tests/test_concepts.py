"""Concept tags: specific concepts over the general one (the definition concept needs its own
evidence), per-concept tag lines, and the shipped tag rule as a fresh fit of the tune split."""

import pytest

from pipeline.config.taxonomy import load_taxonomy
from pipeline.quality.tag_rule_fit import fit, tune_pages
from pipeline.understand.relevance import RELEVANT
from pipeline.understand.semantic import Reading
from pipeline.understand.tag_rule import TagRule, tag_rule
from pipeline.understand.tagging import (CORE_CONCEPT, Evidence, concept_scores, semantic_concept_scores, tag,
                                         tags_from_scores)

TAXONOMY = load_taxonomy()

# Pages written from situations, each by a product-ops team that names itself, about one
# specific concept: (title, description, text, the concept it is about).
SPECIFIC_PAGES = {
    "a shared story for sales, support and product": (
        "One story for sales, support and product",
        "How our product ops team got three departments to tell the same story about where we are going.",
        "In January our sales lead, the head of support and the product managers each presented the year's "
        "plan at the company meeting. They described three different companies. Sales spoke of the mobile "
        "app, support of reliability, product of the new data model.\n\n"
        "Nobody was wrong, and that was the problem. Each department had heard a different slice of the plan "
        "and filled in the rest with what it needed to be true, and each was pulling in its own direction.\n\n"
        "We wrote one page: the three bets for the year, why we chose them, and what we will not do. The head "
        "of product walked each department through it, then each department rewrote the page in its own "
        "words and sent it back. Where their version differed from ours, we talked until the difference was "
        "gone.\n\n"
        "Six months on, the departments describe the same three bets in their own words, their quarterly "
        "goals point the same way, and when the plan changes, the page changes first and every team hears "
        "it the same day.",
        "strategy-alignment"),
    "a monthly competitor brief": (
        "What the other vendors shipped in May",
        "Our monthly brief for the product teams.",
        "Every month someone on the product ops team reads the release notes, pricing pages and job ads of "
        "the four companies we lose deals to, and writes two pages for the product managers.\n\n"
        "In May, the largest of them moved its reporting feature into the cheapest plan and raised the price "
        "of its enterprise tier by a fifth. The second launched an integration with the billing system most "
        "of our mid-market customers use, and its sales team now leads with it in every demo our account "
        "executives hear about.\n\n"
        "The third is hiring twelve engineers in Lisbon for a mobile team, which suggests an app within the "
        "year. The fourth has gone quiet: no release notes since March, and two of its product leads have "
        "left.\n\n"
        "What it means for us: the reporting gap is now the most common reason a deal is lost on price, and "
        "the product managers for reporting and integrations should read the notes from the last six lost "
        "deals before the planning session.",
        "market-intelligence"),
    "a finance view of engineering spend": (
        "What engineering really costs, by product line",
        "A finance view of engineering spend, built by product ops with the CFO.",
        "Our CFO asked a simple question at the budget review: how much does each product line cost to build "
        "and run? Nobody could answer it. Engineering time was tracked by sprint, salaries sat in one cost "
        "centre, and the cloud bill arrived as one number.\n\n"
        "We joined the three. Each team's time is split by the product line its work belongs to, new work or "
        "upkeep, and the payroll and cloud costs follow the time. The result is a monthly table of spend per "
        "product line, with the share that goes to new bets and the share that keeps the lights on.\n\n"
        "The first table surprised everyone: the oldest product, with the fewest customers, took a third of "
        "engineering spend, almost all of it upkeep. The finance team now uses the table to decide how much "
        "of the new year's budget goes to each line, and which work can be capitalised.\n\n"
        "Next quarter we will move two engineers from the old product to the new one and see whether the "
        "upkeep share falls.",
        "portfolio-resources-finance"),
}

DEFINITION_PAGE = (
    "What product operations is, and why we added it",
    "The function that sits beside product management, and how it differs from a PMO.",
    "When our product organisation passed twenty product managers, each of them spent a day a week on work "
    "that was not product management: chasing data, fixing tools, preparing the same planning decks in "
    "different formats. Product operations is the function we created to take that work away.\n\n"
    "It is not a project office. A PMO reports on delivery to executives; product ops serves the product "
    "managers themselves, owning the shared tools, the data they need and the routines the whole "
    "organisation follows. It does not ship features and it does not own the roadmap.\n\n"
    "People ask how it differs from product management. A product manager is responsible for a product and "
    "its customers; product operations is responsible for how product management works, so that every "
    "product manager is more effective. Some companies put it under the chief product officer, others under "
    "operations; the role is the same.")


@pytest.mark.parametrize("situation", sorted(SPECIFIC_PAGES))
def test_a_product_ops_teams_page_about_something_specific_is_tagged_with_it_not_the_definition(situation):
    title, description, text, concept = SPECIFIC_PAGES[situation]
    result = tag(TAXONOMY, title, description, text)
    assert result.relevance >= RELEVANT
    assert concept in result.tags
    assert CORE_CONCEPT not in result.tags


def test_a_page_about_what_product_ops_is_gets_the_definition_and_nothing_else():
    assert tag(TAXONOMY, *DEFINITION_PAGE).tags == [CORE_CONCEPT]


def reading(**similarity: float) -> Reading:
    return Reading(similarity={key.replace("_", "-"): value for key, value in similarity.items()})


def test_on_meaning_the_definition_needs_a_clear_lead_over_every_specific_concept():
    # Nearest by less than the margin: the nearest specific concept takes the page, as it would
    # were the definition not there, and the definition gets nothing.
    near = reading(prodops_definition=0.41, market_intelligence=0.40, voice_of_customer=0.35)
    scores = semantic_concept_scores(near, relevance=0.99, definition_margin=0.02)
    assert CORE_CONCEPT not in scores and scores["market-intelligence"] > 0.5 > scores["voice-of-customer"]
    # Nearest by the margin or more: the definition is the page's nearest concept, scored as any.
    scores = semantic_concept_scores(near, relevance=0.99, definition_margin=0.005)
    assert scores[CORE_CONCEPT] > scores["market-intelligence"] > 0.5
    # A runner-up within the nearest's margin gets no score, and gives its place to nobody.
    runner_up = reading(strategy_alignment=0.39, prodops_definition=0.38, voice_of_customer=0.375)
    assert set(semantic_concept_scores(runner_up, relevance=0.99, definition_margin=0.0)) == {"strategy-alignment"}


def test_the_fields_name_counts_for_the_definition_in_the_title_only():
    def scores(where: str) -> dict:
        evidence = Evidence({where: [(CORE_CONCEPT, "product ops", 3)]}, {}, None)
        return concept_scores(evidence, relevance=0.99, rule=TagRule())
    assert scores("title")[CORE_CONCEPT] > 0.5
    assert CORE_CONCEPT not in scores("description") and CORE_CONCEPT not in scores("body")


def test_each_concept_is_tagged_from_its_own_line_and_brings_its_parents():
    rule = TagRule({"planning-roadmapping": 0.85})
    scores = {"planning-roadmapping": 0.8, "voice-of-customer": 0.5, "portfolio-resources-finance": 0.6}
    assert tags_from_scores(TAXONOMY, scores, relevance=0.99, rule=rule) == [
        "planning-roadmapping", "portfolio-resources-finance", "process-rituals", "voice-of-customer"]
    assert tags_from_scores(TAXONOMY, {"planning-roadmapping": 0.8}, relevance=0.99, rule=rule) == []
    assert rule.line("experimentation") == 0.5


def test_the_shipped_rule_is_a_fresh_fit_of_the_tune_split():
    shipped = tag_rule()
    assert fit(TAXONOMY, tune_pages(TAXONOMY)) == shipped
    assert TagRule.from_dict(shipped.as_dict()) == shipped
