"""Common Core standards codes, written many ways by different tools, named one way.

`CCSS.Math.Content.3.NF.A.1`, `CCSS.MATH.CONTENT.3.NF.A.1` and `3.nf.a.1` are all `3.NF.A.1`; `3.NF.1` (the
short form, without the cluster letter) is the same standard, because a standard's number is unique within its
grade and domain. High school: `CCSS.Math.Content.HSA.SSE.A.1`, `HSA-SSE.A.1` and `A-SSE.1` are `HSA.SSE.A.1`
and `HSA.SSE.1`. ELA: `CCSS.ELA-Literacy.RL.3.1` is `RL.3.1`. Anything else is a skill name, kept as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_PREFIX = re.compile(r"^\s*ccss\s*\.\s*(?:math\s*\.\s*(?:content|practice)|ela[-_ ]literacy)\s*\.\s*", re.I)
_SUB = r"(?:\.?([a-z]))?"
_GRADES = re.compile(rf"^(K|[1-8])\.([A-Z]{{1,4}})\.(?:([A-Z])\.)?(\d{{1,2}}){_SUB}$", re.I)
_HIGH = re.compile(rf"^(?:HS)?([NAFGS])[-.]([A-Z]{{1,4}})\.(?:([A-Z])\.)?(\d{{1,2}}){_SUB}$", re.I)
_ELA = re.compile(rf"^(RL|RI|RF|W|SL|L|RH|RST|WHST)\.(K|\d{{1,2}}(?:-\d{{1,2}})?)\.(\d{{1,2}}){_SUB}$", re.I)
_PRACTICE = re.compile(r"^MP\.?(\d)$", re.I)


def _parts(code: str) -> tuple[str, str | None, str, str] | None:
    """(grade and domain, cluster letter or None, number, sub-standard letter or '') of a standards code."""
    written = _PREFIX.sub("", code.strip())
    if match := _GRADES.match(written):
        grade, domain, cluster, number, sub = match.groups()
        return f"{grade.upper()}.{domain.upper()}", cluster and cluster.upper(), number, (sub or "").lower()
    if match := _HIGH.match(written):
        category, domain, cluster, number, sub = match.groups()
        return f"HS{category.upper()}.{domain.upper()}", cluster and cluster.upper(), number, (sub or "").lower()
    if match := _ELA.match(written):
        strand, grade, number, sub = match.groups()
        return f"{strand.upper()}.{grade.upper()}", None, number, (sub or "").lower()
    if match := _PRACTICE.match(written):
        return "MP", None, match.group(1), ""
    return None


def standard_key(name: str) -> str | None:
    """The standard a skill name is, the same for every way of writing it; None when it is not a CCSS code."""
    parts = _parts(name)
    if parts is None:
        return None
    head, _cluster, number, sub = parts
    return f"{head}.{number}{'.' + sub if sub else ''}" if head != "MP" else f"MP{number}"


def skill_name(name: str) -> str:
    """A skill's name: a CCSS code in its short form (with its cluster letter when written), else as written."""
    parts = _parts(name)
    if parts is None:
        return name.strip()
    head, cluster, number, sub = parts
    if head == "MP":
        return f"MP{number}"
    return f"{head}.{cluster + '.' if cluster else ''}{number}{'.' + sub if sub else ''}"


def unified(names: Iterable[str]) -> dict[str, str]:
    """Each name -> the one name its standard goes by among `names`: the form with the cluster letter when any
    is written with it (so `3.NF.1` in one file and `3.NF.A.1` in another are one skill); other names as
    `skill_name` has them."""
    names = list(dict.fromkeys(names))
    best: dict[str, str] = {}
    for name in names:
        key = standard_key(name)
        if key is not None and (key not in best or len(skill_name(name)) > len(best[key])):
            best[key] = skill_name(name)
    return {name: best.get(standard_key(name) or "", skill_name(name)) for name in names}
