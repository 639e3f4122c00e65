"""What the browser leg checks on a page: axe (every rule), contrast axe left open, overflow.

axe-core is vendored (vendor/axe.min.js, MPL-2.0) and evaluated through the DevTools protocol,
which the page's CSP does not govern; the page itself keeps its CSP, so what is checked is what
a visitor gets. A run that reports no passes means axe did not run, and fails.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
CHROMIUM = os.environ.get("SAMVERKA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WIDTHS = (1280, 375)


def chromium_available() -> bool:
    return Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is not None


#: Runs in the page for each colour-contrast node axe could not decide: the text colour against
#: the first opaque background up the tree (what a sticky cell or a positioned box really shows).
_CONTRAST_JS = """
(selector) => {
  const el = document.querySelector(selector);
  if (!el) return {error: "element not found"};
  const parse = (c) => {
    const m = c.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
    return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
  };
  const lum = (c) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  };
  const style = getComputedStyle(el);
  let fg = parse(style.color);
  let bg = null;
  for (let node = el; node; node = node.parentElement) {
    const s = getComputedStyle(node);
    if (s.backgroundImage && s.backgroundImage !== "none") return {error: "background image"};
    const c = parse(s.backgroundColor);
    if (c && c.a === 1) { bg = c; break; }
    if (c && c.a > 0) return {error: "translucent background"};
  }
  bg = bg || {r: 255, g: 255, b: 255, a: 1};
  if (fg.a < 1) {
    fg = {r: fg.r * fg.a + bg.r * (1 - fg.a), g: fg.g * fg.a + bg.g * (1 - fg.a),
          b: fg.b * fg.a + bg.b * (1 - fg.a), a: 1};
  }
  const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
  const size = parseFloat(style.fontSize);
  const bold = parseInt(style.fontWeight, 10) >= 700;
  const large = size >= 24 || (bold && size >= 18.66);
  return {ratio: (hi + 0.05) / (lo + 0.05), required: large ? 3 : 4.5};
}
"""


@dataclass
class PageReport:
    url: str
    width: int
    passes: int = 0
    problems: list[str] = field(default_factory=list)


def check_page(page, url: str, width: int) -> PageReport:
    """Load ``url`` at ``width`` px and return every problem the browser leg refuses."""
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(url, wait_until="load")
    report = PageReport(url, width)
    page.evaluate(AXE)
    result = page.evaluate(
        "async () => { const r = await axe.run(document, {resultTypes: ['violations',"
        " 'incomplete']}); return {passes: r.passes.length, violations: r.violations.map(v =>"
        " ({id: v.id, nodes: v.nodes.map(n => n.target.join(' '))})), incomplete:"
        " r.incomplete.map(v => ({id: v.id, nodes: v.nodes.map(n => n.target.join(' '))}))}; }"
    )
    report.passes = result["passes"]
    if report.passes == 0:
        report.problems.append("axe reported no passes: it did not run")
    for violation in result["violations"]:
        report.problems.append(f"axe {violation['id']}: {violation['nodes'][:5]}")
    for item in result["incomplete"]:
        if item["id"] != "color-contrast":
            continue
        for target in item["nodes"]:
            verdict = page.evaluate(_CONTRAST_JS, target)
            if "error" in verdict or verdict["ratio"] < verdict["required"]:
                report.problems.append(f"contrast needs review at {target}: {verdict}")
    scroll, inner = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    if scroll > inner:
        report.problems.append(f"horizontal overflow: page is {scroll} px wide in {inner} px")
    return report


def focus_is_visible(page) -> bool:
    """The focused element shows an outline or a box-shadow ring (what :focus-visible draws)."""
    return page.evaluate(
        """() => {
          const el = document.activeElement;
          if (!el || el === document.body) return false;
          const s = getComputedStyle(el);
          const outline = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2;
          return outline || (s.boxShadow && s.boxShadow !== "none");
        }"""
    )
