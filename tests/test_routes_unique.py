"""Every URL and method answers to one view: two blueprints' branches once both claimed
`/admin/<slug>/payments`, and whichever registered first silently took the other's page."""

from collections import Counter


def test_no_two_views_claim_the_same_url_and_method(base_app):
    claims = Counter(
        (rule.rule, method)
        for rule in base_app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    )
    assert [claim for claim, count in claims.items() if count > 1] == []
