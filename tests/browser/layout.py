"""The one layout check every browser test runs on every page it visits.

`check_page(page, name)` looks at the page as it is now at phone width (375 px) and desktop width
(1280 px): nothing may scroll sideways, and at phone width every tap target (links, buttons,
fields, a checkbox together with its label) is at least 44 px high, and badges and flash messages
keep WCAG AA contrast (4.5:1). It saves a screenshot at each width into tests/artifacts as
`<name>-375.png` / `<name>-1280.png`, so the pages can be judged by eye.

A link inside a sentence is exempt from the height rule (WCAG 2.5.8's inline exception): making
running text 44 px high would be worse for everyone.
"""

from __future__ import annotations

from tests.browser.conftest import screenshot

PHONE, DESKTOP = 375, 1280
MIN_TAP_PX = 44

# Returns the tap targets that are too low, as readable strings. A checkbox or radio counts
# together with its label (tapping the label ticks it); a link is exempt when it sits inside
# running text, i.e. its parent holds words of its own beside the link.
_SMALL_TARGETS_JS = r"""
(minimum) => {
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none';
  };
  const inSentence = (a) => {
    if (getComputedStyle(a).display !== 'inline') return false;
    return [...a.parentNode.childNodes].some(
      (n) => n.nodeType === Node.TEXT_NODE && /\p{L}/u.test(n.textContent));
  };
  const height = (el) => {
    let top = el.getBoundingClientRect().top, bottom = el.getBoundingClientRect().bottom;
    if ((el.type === 'checkbox' || el.type === 'radio') && el.labels) {
      for (const label of el.labels) {
        const r = label.getBoundingClientRect();
        if (r.height > 0) { top = Math.min(top, r.top); bottom = Math.max(bottom, r.bottom); }
      }
    }
    return bottom - top;
  };
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary';
  const small = [];
  for (const el of document.querySelectorAll(selector)) {
    if (!visible(el)) continue;
    if (el.tagName === 'A' && inSentence(el)) continue;
    const h = height(el);
    if (h < minimum - 0.5) {
      const label = (el.textContent || el.name || el.id || el.type || '').trim().slice(0, 40);
      small.push(`${el.tagName.toLowerCase()} "${label}" is ${h.toFixed(1)}px high`);
    }
  }
  return small;
}
"""


# Text on a coloured chip (badges, flash messages) against the chip's own background: WCAG AA
# asks 4.5:1 for text this small. Returns the chips below it.
_LOW_CONTRAST_JS = """
(minimum) => {
  const rgb = (c) => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = (c) => {
    const [r, g, b] = rgb(c).map((v) => {
      v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const low = [];
  for (const el of document.querySelectorAll('.badge, .flash, .form-errors')) {
    const s = getComputedStyle(el);
    const [a, b] = [lum(s.color), lum(s.backgroundColor)].sort((x, y) => y - x);
    const ratio = (a + 0.05) / (b + 0.05);
    const text = el.textContent.trim().slice(0, 30);
    if (ratio < minimum) low.push(`"${text}" is ${ratio.toFixed(2)}:1`);
  }
  return low;
}
"""


def overflow(page) -> tuple[int, int]:
    """(scrollWidth, clientWidth) of the document: equal when nothing scrolls sideways."""
    return tuple(
        page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
    )


def small_tap_targets(page) -> list[str]:
    """The visible tap targets lower than 44 px, described for an assertion message."""
    return page.evaluate(_SMALL_TARGETS_JS, MIN_TAP_PX)


def low_contrast_chips(page) -> list[str]:
    """Badges and flash messages whose text is below WCAG AA (4.5:1) on their background."""
    return page.evaluate(_LOW_CONTRAST_JS, 4.5)


def check_page(page, name: str) -> None:
    """Assert the current page fits a 375 px phone (no sideways scroll, 44 px tap targets) and a
    1280 px screen, and save a screenshot at each width; the viewport is restored afterwards."""
    page.wait_for_load_state("load")  # a click's navigation may still be fetching its CSS
    original = page.viewport_size
    try:
        for width in (PHONE, DESKTOP):
            page.set_viewport_size({"width": width, "height": 800})
            scroll_width, client_width = overflow(page)
            assert scroll_width == client_width, (
                f"{name} at {width}px scrolls sideways: {scroll_width} > {client_width}"
            )
            if width == PHONE:
                small = small_tap_targets(page)
                assert small == [], f"{name} at {width}px has small tap targets: {small}"
                low = low_contrast_chips(page)
                assert low == [], f"{name} has text below 4.5:1 contrast: {low}"
            screenshot(page, f"{name}-{width}")
    finally:
        page.set_viewport_size(original)
