"""Who must act, who helps and to whom the result goes, in one obligation's own text (SPEC §3).

The cue words are data (``extract/data/role_cues.tsv``); agencies come from
:mod:`extract.agencies`.  The text is read as clauses (split at ``.``, ``;``, ``:``, line
breaks and ``thì``); agencies joined by ``,`` / ``và`` / ``hoặc`` form one group that
takes one role, decided by the words right before the group and right after it:

* ``báo cáo / trình / đề xuất / kiến nghị / tham mưu / gửi (... về)`` before it -> ``report_to``
  (not when negated: ``Không trình ... lên UBND tỉnh``);
* ``phối hợp (với)`` before it -> ``coordinators``;
* ``giao / yêu cầu / đề nghị`` before it, said by a clause-initial subject, a document or nobody
  -> ``assignees``; ``chỉ đạo X`` only when nobody was addressed before;
* a clause-initial group followed by its predicate (``Sở Nội vụ khẩn trương tham mưu ...``,
  ``Tổ kiểm tra ...: ...``) -> ``assignees``, unless the clause goes on to address someone else;
* ``Z chủ trì`` / ``Z làm đầu mối`` -> ``assignees``.
Everything else (``đôn đốc các cơ quan``, ``của UBND tỉnh``, ``giúp UBND tỉnh``) is no role.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from . import _re as re

from extract.agencies import AgencyContext, find_agencies
from extract.models import Agency
from extract.patterns import load_table

__all__ = ["Roles", "roles_in", "frame_agents"]

CUES = "role_cues.tsv"


@dataclass
class Roles:
    assignees: list[Agency] = field(default_factory=list)
    coordinators: list[Agency] = field(default_factory=list)
    report_to: list[Agency] = field(default_factory=list)
    addressed: bool = False  # the text itself names who must act
    directed_only: bool = False  # every assignee is one a subjectless "chỉ đạo X" names (X is directed)


@lru_cache(maxsize=None)
def _cue(cat: str) -> "re.Pattern[str]":
    pats = [p.source for p in load_table(CUES) if p.category == cat]
    if not pats:
        raise KeyError(cat)
    body = "|".join(f"(?:{p})" for p in pats)
    if cat.endswith("_end"):
        return re.compile(f"(?:{body})\\s*$", re.IGNORECASE)
    return re.compile(body, re.IGNORECASE)


# a line break ends a clause unless the line goes on in lower case ("... chủ trì, phối\nhợp với ...":
# text wrapped by hand or by a PDF)
_BOUNDARY = re.compile(r"[;:!?]|\n(?![ \t]*\p{Ll}[\p{L}\p{M}]*[ \t])|\.(?=\s+\p{Lu}|\s*$)|(?<![\p{L}])thì(?![\p{L}])")
# the same searched backwards (``regex``'s (?r)): a boundary is one character or the word "thì", so
# two never overlap and the first found going back from a position is the last found going forward
_LAST_BOUNDARY = re.compile(r"(?r)" + _BOUNDARY.pattern)
_SPACES = re.compile(r"\s+")
_GAP = re.compile(r"\s*(?:,\s*(?:và|hoặc)?|và|hoặc)?\s*")
# "... để tổng hợp, báo cáo" / "... để tổng hợp, trình": a purpose clause of the one reported to
_ONWARD = re.compile(r"(?i)\bđể\s+(?:(?:theo\s+dõi|tổng\s+hợp)\s*(?:,\s*|\s+và\s+))?(?:báo\s+cáo|trình|tham\s+mưu)[^,;.]{0,40}$")
# what the issuer says of itself that is a duty ("Bảo hiểm xã hội Việt Nam có trách nhiệm ...", and
# "Văn phòng Chính phủ theo dõi, đôn đốc ...": the issuer's own follow-up duty in its letter)
_ISSUER_DUTY = re.compile(r"\s*(?:có\s+trách\s+nhiệm|chịu\s+trách\s+nhiệm|chủ\s+trì|sẽ|phải|cần|theo\s+dõi|đôn\s+đốc)(?![\p{L}])",
                          re.I)
_DIRECTS_NEXT = re.compile(r"\s*(?:(?:đã|sẽ|cần|phải|thường\s+xuyên|tiếp\s+tục|khẩn\s+trương)\s+)*"
                           r"(?:chỉ\s+đạo|lãnh\s+đạo)(?![\p{L}])", re.I)  # ("Đảng ủy X lãnh đạo Sở X ...")
# "UBND tỉnh chuyển đơn, yêu cầu X": the subject's own deed, then the frame verb
_DEED_THEN = re.compile(r"\s+(?:\p{Ll}+\s+){0,5}\p{Ll}+\s*,\s*")
_SEMI_GAP = re.compile(r"\s*;\s*(?:và\s+)?")
_LABEL = re.compile(r"^\s*(?:[-+*•]|\(?[0-9]{1,2}(?:\.[0-9]{1,2}){0,3}[.)]|\(?[a-zđ]\)|[IVXLC]{1,6}\.)\s+")
_WINDOW = 160
# a person's name after a head's title ("Phó Chủ tịch UBND tỉnh Trần Văn Hùng"): two to four
# capitalised syllables (case-sensitive, so the verb after it is never taken for a name)
_PERSON = re.compile(r"\s+\p{Lu}[\p{Ll}\p{M}]*(?:\s+\p{Lu}[\p{Ll}\p{M}]*){1,3}(?=\s|[,:;.]|$)")


def _after_person(text: str, g: "_Group", pos: int, end: int) -> int:
    """Where the text after group ``g`` (``text[pos:end]``) goes on once a person's name after its
    head's title is passed over."""
    if g.members[-1].head:
        pm = _PERSON.match(text, pos, min(end, len(text)))
        if pm:
            return pm.end()
    return pos


@dataclass
class _Group:
    members: list[Agency]
    start: int  # relative to text
    end: int


# a frame verb right after an agency: "..., Chủ tịch UBND tỉnh yêu cầu ..." starts a new clause
# (not "giao": "nhiệm vụ của UBND tỉnh, Chủ tịch, các Phó Chủ tịch giao cho ..." is one list of givers)
_FRAME_NEXT = re.compile(r"\s*(?:(?:đã|vừa|cũng)\s+)?(?:yêu\s+cầu|đề\s+nghị|chỉ\s+đạo)\s", re.I)


# an opening clause that a comma closes before the subject ("Căn cứ ..., ", "Trên cơ sở ..., ", "Để ..., ")
_OPENING = re.compile(r"\s*(?:căn\s+cứ|trên\s+cơ\s+sở|(?:ngay\s+)?sau\s+khi|trước\s+khi|để|nhằm|thực\s+hiện)(?![\p{L}])",
                      re.I)


# a frame verb anywhere in a clause (not "đề nghị của", "giao thông")
_ANY_FRAME = re.compile(r"(?<![\p{L}])(?:yêu\s+cầu|đề\s+nghị|giao|chỉ\s+đạo)(?![\p{L}])(?!\s+(?:của|tại|thông))", re.I)


def _opening_holds(text: str, pos: int) -> bool:
    """Does ``pos`` lie in an opening clause ("Căn cứ đề nghị của Sở Nội vụ, ...") that no frame verb
    has yet followed ("Thực hiện Kế hoạch ..., Ban Thường vụ yêu cầu X, Y, Z" lists after the verb)?"""
    cs = _clause_start(text, pos)
    return (_OPENING.match(text, cs, pos) is not None and _ANY_FRAME.search(text, cs, pos) is None
            # ("Căn cứ ..., các sở, ngành, Thuế tỉnh và ...": the list right after the comma is the subject)
            and not text[cs:pos].rstrip().endswith(","))


# what follows a name that is no subject: the list or the phrase goes on ("báo cáo Chính phủ, Thủ tướng
# Chính phủ về công tác ...", "... các cơ quan đảng, Mặt trận Tổ quốc, tổ chức chính trị - xã hội ...")
_NO_PREDICATE = re.compile(r"\s*(?:[,)]|(?:về|của|tại|trong|thuộc|và|hoặc|với)(?![\p{L}]))", re.I)


def _joins(text: str, prev: _Group, gap: str, e: int) -> bool:
    """Does the agency ending at ``e``, after ``gap``, go on the list of ``prev``?"""
    if not _GAP.fullmatch(gap) or gap.strip() == ";":
        return False
    if gap.strip() != ",":
        return True
    left = text[max(0, prev.start - 40): prev.start]
    if _FRAME_NEXT.match(text, e) and _cue("object_end").search(left) and not _cue("coord_end").search(left):
        # "Thực hiện Công văn ... của Bộ Y tế, Chủ tịch UBND tỉnh yêu cầu X": no list of two (but
        # "phối hợp với Bộ A, Bộ B chỉ đạo ...": the helpers are listed, the lead directs)
        return False
    # "Căn cứ đề nghị của Sở Nội vụ, UBND tỉnh giao ...": the comma closes the opening clause
    closes = _opening_holds(text, prev.start) or _TOPIC.fullmatch(text, _clause_start(text, prev.start), prev.start)
    return not (closes and _NO_PREDICATE.match(text, e) is None)


def _groups(agencies: list[Agency], text: str, base: int) -> list[_Group]:
    out: list[_Group] = []
    for a in agencies:
        s, e = a.span[0] - base, a.span[1] - base
        if out:
            if _joins(text, out[-1], text[out[-1].end: s], e):
                out[-1].members.append(a)
                out[-1].end = e
                continue
        out.append(_Group([a], s, e))
    return out


def _clause_start(text: str, pos: int) -> int:
    """Where the clause holding ``pos`` starts: after the last boundary in the 400 characters before it."""
    lo = max(0, pos - 400)
    m = _LAST_BOUNDARY.search(text, lo, pos)
    return m.end() if m else lo


def _is_clause_initial(text: str, g: _Group) -> bool:
    cs = _clause_start(text, g.start)
    return bool(_cue("linker").search(text[cs: g.start]))


def _key(a: Agency) -> str:
    return _name_key(a.full_name)


def _keys_in_place(a: Agency) -> set[str]:
    """The keys a mention may stand for: its name, and that name completed by its jurisdiction
    ("Sở Y tế" in a letter of Lạng Sơn is "Sở Y tế tỉnh Lạng Sơn", "Văn phòng UBND tỉnh" there is
    "Văn phòng Ủy ban nhân dân tỉnh Lạng Sơn"), as the issuer is named whole from its header."""
    full = a.full_name
    keys = {_name_key(full)}
    jur = a.jurisdiction
    if jur and not a.collective:
        word, _, place = jur.partition(" ")
        if full.endswith(" " + word) or (word == "thành" and full.endswith(" thành phố")):
            keys.add(_name_key(f"{full} {place.removeprefix('phố ') if word == 'thành' else place}"))
        elif not full.endswith(jur):
            keys.add(_name_key(f"{full} {jur}"))
    return keys


@lru_cache(maxsize=4096)
def _name_key(name: str) -> str:
    return _SPACES.sub(" ", name).casefold()


def _dedupe(xs: list[Agency], taken: set[str]) -> list[Agency]:
    out = []
    for a in xs:
        k = _key(a)
        if k in taken:
            continue
        taken.add(k)
        out.append(a)
    return out


def roles_in(text: str, base: int = 0, ctx: AgencyContext | None = None,
             issuer: Agency | None = None) -> Roles:
    """The roles stated in ONE obligation's own text (SPEC §3)."""
    if not text or not text.strip():
        return Roles()
    agencies = find_agencies(text, base, ctx)
    groups = _groups(agencies, text, base)
    assignees: list[Agency] = []
    coords: list[Agency] = []
    report: list[Agency] = []
    role_of: dict[int, str] = {}
    issuer_key = _name_key(issuer.full_name) if issuer else None
    other_assign = False  # an assignee named otherwise than after a light "chỉ đạo"

    for i, g in enumerate(groups):
        cs = _clause_start(text, g.start)
        lstart = max(cs, g.start - _WINDOW)
        left = text[lstart: g.start]
        hon = _cue("honorific_end").search(left)
        if hon:  # "đề nghị đồng chí Chủ tịch UBND tỉnh": the cue stands before the honorific
            left = left[: hon.start()]
        # ("Phó Chủ tịch UBND tỉnh Trần Văn Hùng kết luận ...": the person's name is passed over)
        after = _after_person(text, g, g.end, g.end + 80)
        right = text[after: after + 80]
        role = None
        rm = _cue("report_end").search(left)
        if rm:
            before = left[: rm.start()]
            clause_before = text[cs: lstart + rm.start()] if cs < g.start else ""
            if _cue("negation_end").search(before) or _cue("report_block_end").search(clause_before + left[: rm.end()]):
                role = "none"
            elif report and _ONWARD.search(left[: rm.end()]):
                # "gửi về Sở Nội vụ để tổng hợp, báo cáo UBND tỉnh": the receiver's own onward report,
                # not the assignee's (seeds convention 5, corpus_d 212)
                role = "none"
            else:
                role = "report"
        if role is None and _cue("coord_end").search(left):
            role = "coord"
        if role is None and i > 0 and role_of.get(i - 1) == "coord" and _SEMI_GAP.fullmatch(text[groups[i - 1].end: g.start]):
            # "phối hợp với Liên đoàn Lao động tỉnh; các sở, ngành liên quan; Ủy ban nhân dân các huyện"
            role = "coord"
        if role is None:
            fm = _cue("frame_end").search(left)
            lm = None if fm else _cue("light_frame_end").search(left)
            vm = fm or lm
            if vm is not None:
                pre = left[: vm.start()]
                if _frame_ok(text, groups, i, cs, lstart + vm.start(), pre, role_of, light=lm is not None,
                             any_assignee=bool(assignees)):
                    role = "assign"
                    other_assign = other_assign or lm is None
                elif lm is not None and _cue("lead_start").search(right):
                    # "đề nghị X chỉ đạo Z chủ trì, phối hợp ...": Z is named as the lead (SPEC §3)
                    role = "assign"
                    other_assign = True
                else:
                    role = "none"
        if role is None and _cue("lead_start").search(right) and not _cue("object_end").search(left):
            role = "assign"
            other_assign = True
        if role is None and _is_clause_initial(text, g) and (
            not _after_thi(text, cs) or _cue("modal_start").search(right)
        ) and not (g.start - cs > 40 and _NO_PREDICATE.match(right) is not None):
            # (not "Thực hiện Quyết định ... về biên chế các cơ quan đảng, Mặt trận Tổ quốc, tổ chức ...":
            # a name inside a title, the list going on after it)
            directs = _DIRECTS_NEXT.match(right) is not None
            if right.lstrip().startswith(":") or not _cue("issuer_start").search(right) or (
                    directs and not _issuer_like(g, issuer)):
                # "Sở Thông tin và Truyền thông chỉ đạo các cơ quan báo chí ..." -> the Sở (SPEC §3:
                # X chỉ đạo Z -> X); the issuer directing ("UBND tỉnh chỉ đạo ...") addresses Z instead
                if _cue("coord_start").search(right) and assignees:
                    role = "coord"
                elif _addresses_later(text, groups, i, cs) and not directs:
                    role = "none"
                else:
                    role = "assign"
                    other_assign = True
        if role == "assign" and issuer_key and len(g.members) == 1 and issuer_key in _keys_in_place(g.members[0]) \
                and not _cue("frame_end").search(left) and not _ISSUER_DUTY.match(right):
            # the issuer speaking ("UBND tỉnh Hải Dương yêu cầu ...") is not an assignee; the issuer
            # taking a duty itself ("Bảo hiểm xã hội Việt Nam có trách nhiệm kiểm tra ...") is
            role = "none"
        role_of[i] = role or "none"
        if role == "assign":
            assignees.extend(g.members)
        elif role == "coord":
            coords.extend(g.members)
        elif role == "report":
            report.extend(g.members)

    if not assignees and groups and role_of.get(0) == "none":
        topic = _topic_assignee(text, groups)
        if topic:
            assignees = topic
    taken: set[str] = set()
    assignees = _dedupe(assignees, taken)
    coords = _dedupe(coords, taken)
    report = _dedupe(report, set())
    return Roles(assignees, coords, report, addressed=bool(assignees),
                 directed_only=bool(assignees) and not other_assign)


# "Đối với Sở Y tế, Chủ tịch UBND tỉnh yêu cầu chuẩn bị ...": the topic is the one addressed when the
# frame verb that follows names no one
_TOPIC = re.compile(r"\s*(?:[-+*•]\s*|\(?[0-9]{1,2}[.)]\s*|\(?[a-zđ]\)\s*)?(?:riêng\s+)?đối\s+với\s+$", re.I)
_TOPIC_FRAME = re.compile(r"\s*,\s*(?:[^,;:.]{0,80}?\s)?(?:giao|yêu\s+cầu|đề\s+nghị)(?:\s+(?:cho|đối\s+với))?\s+(?=\p{Ll})",
                          re.I)


def _topic_assignee(text: str, groups: list[_Group]) -> list[Agency]:
    g = groups[0]
    if not _TOPIC.fullmatch(text[:g.start]):
        return []
    m = _TOPIC_FRAME.match(text, g.end)
    if m is None or any(m.end() <= h.start <= m.end() + 1 for h in groups[1:]):
        return []  # no frame verb, or it names its own addressee ("... giao các sở ...")
    return list(g.members)


def _frame_ok(text: str, groups: list[_Group], i: int, cs: int, vpos: int, pre: str,
              role_of: dict[int, str], light: bool, any_assignee: bool) -> bool:
    """Is the frame verb at ``vpos`` said by the issuer (or nobody), so its object is addressed?"""
    if _cue("frame_block_end").search(pre):
        return False
    if light and any_assignee:
        return False
    clause_pre = text[cs:vpos]
    stripped = re.sub(r"(?:\s+(?:đã|vừa|cũng|tiếp\s+tục|đồng\s+thời))+\s*$", "", clause_pre, flags=re.I)
    if _cue("linker").search(stripped):
        return True
    # the group right before the verb is the subject
    prev = None
    for j in range(i - 1, -1, -1):
        if groups[j].end <= vpos:
            prev = j
            break
    # ("Phó Chủ tịch UBND tỉnh Lê Văn Sơn yêu cầu ...": the person's name is no gap)
    gap = text[_after_person(text, groups[prev], groups[prev].end, vpos): vpos] if prev is not None else ""
    if prev is not None and (not gap.strip(" ,") or re.fullmatch(r"\s*(?:đã|vừa|cũng|tiếp\s+tục)?\s*", gap, re.I)
                             or _DEED_THEN.fullmatch(gap)):
        pg = groups[prev]
        if role_of.get(prev) in ("assign", "coord", "report"):
            return False
        before = text[max(cs, pg.start - _WINDOW): pg.start]
        if light:
            return _is_clause_initial(text, pg)
        return not _cue("object_end").search(before) or _is_clause_initial(text, pg)
    if not light and _cue("doc_subject_end").search(stripped):
        return True
    if not light and _bare_title().fullmatch(stripped):
        # "Bộ trưởng giao Cục Thủy lợi ...", "Phát biểu chỉ đạo, Bộ trưởng yêu cầu ...": a news page's
        # speaker named by a title alone, whose body is the page's subject
        return True
    return False


@lru_cache(maxsize=1)
def _bare_title() -> "re.Pattern[str]":
    """A clause that is only a head's title, maybe with the person's name ("Bộ trưởng", "Chủ tịch Trần Văn A")."""
    from extract.agencies import heads_pattern

    return re.compile(r"(?:[^,;:.]{0,40},\s*)?\s*(?:(?:đồng\s+chí|ông|bà)\s+)?" + heads_pattern()
                      + r"(?:\s+\p{Lu}[\p{L}\p{M}]*){0,4}\s*", re.I)


_COMMITTEE_OFFICE = re.compile(r"Văn phòng (?:Ủy ban nhân dân|Hội đồng nhân dân)")


def _issuer_like(g: _Group, issuer: Agency | None) -> bool:
    """Is this group the document's issuer speaking (the issuer itself, or a people's committee or
    the Government at the issuer's level)?"""
    if len(g.members) != 1:
        return False
    a = g.members[0]
    if issuer is not None and _name_key(issuer.full_name) in _keys_in_place(a):
        return True
    if a.collective or a.kind not in {"ubnd", "chinh_phu", "hdnd"}:
        return False
    kind = issuer.kind if issuer is not None else None
    if kind == "van_phong" and _COMMITTEE_OFFICE.match(issuer.name):
        kind = "ubnd"  # "Văn phòng Ủy ban nhân dân tỉnh" speaks for its committee
    return issuer is None or a.level in (None, issuer.level) or kind not in {"ubnd", "chinh_phu", "hdnd"}


def _after_thi(text: str, cs: int) -> bool:
    """Does the clause starting at ``cs`` open after a conditional ``thì``?"""
    return text[max(0, cs - 4): cs].strip().casefold() == "thì"


def _addresses_later(text: str, groups: list[_Group], i: int, cs: int) -> bool:
    """A clause-initial group followed, in the same clause, by a frame verb that addresses others."""
    g = groups[i]
    nxt_end = len(text)
    for m in _BOUNDARY.finditer(text, g.end, min(len(text), g.end + 400)):
        nxt_end = m.start()
        break
    seg = text[g.end: nxt_end]
    m = re.match(r"\s*(?:(?:đã|vừa|cũng|tiếp\s+tục)\s+)*(?:yêu\s+cầu|giao|đề\s+nghị|chỉ\s+đạo)(?![\p{L}])", seg, re.I)
    return bool(m)


def frame_agents(text: str, base: int = 0, ctx: AgencyContext | None = None) -> list[Agency]:
    """The agencies a lead-in or frame clause addresses.

    ``"Ủy ban nhân dân tỉnh yêu cầu Thủ trưởng các sở, ban, ngành, đoàn thể tỉnh và Chủ tịch Ủy ban
    nhân dân các huyện, thị xã, thành phố thực hiện tốt một số nội dung sau:"`` -> the two agencies;
    ``"Chủ tịch UBND tỉnh yêu cầu:"`` -> []; ``"4. Chủ tịch Ủy ban nhân dân các huyện, thành phố:"`` ->
    that agency."""
    if not text:
        return []
    m = _LABEL.match(text)
    off = m.end() if m else 0
    return roles_in(text[off:], base + off, ctx).assignees
