"""Read pages as a person would: HTML entities decoded."""

import html


def page_text(response) -> str:
    return html.unescape(response.get_data(as_text=True))
