"""Which outline items and sentences are obligations (SPEC §3), and whose.

Input: the :class:`~extract.structure.Structure` of one document.  Output:
:class:`Candidate` objects — text, span, outline label and depth, the agents
they inherit — in reading order.  Roles stated inside an obligation's own text
are read later by :mod:`extract.roles`; this module only decides segmentation
and inheritance (lead-ins, parent items that name who acts, paragraph frames).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from . import _re as re

from .models import Agency, Provenance
from .patterns import seg
from .structure import Paragraph, Structure, mostly_upper, split_sentences


@dataclass
class Candidate:
    text: str
    span: tuple[int, int]
    label: str | None
    depth: int
    inherited: list[Agency] = field(default_factory=list)
    provenance: Provenance | None = None
    # task-row attribute lines and task-table cells: ("who" | "with" | "when", start, end) into the text
    attrs: list[tuple[str, int, int]] = field(default_factory=list)


@dataclass
class _Item:
    para: Paragraph
    style: str
    label: str
    children: list["_Item"] = field(default_factory=list)
    parent: "_Item | None" = None
    extra: list[Paragraph] = field(default_factory=list)  # unlabelled continuation paragraphs


# ------------------------------------------------------------ decisions ----

# ("II. ĐỐI VỚI KHO BẠC NHÀ NƯỚC": a section title says so without the colon)
_TOWARD = re.compile(r"^(?:đối với|riêng|về phía)\s+(?=[^:]{3,200}:\s*$|[^:.;!?]{3,120}$)", re.I)
_ADDRESS_START = re.compile(r"^(?:đề nghị|yêu cầu|giao)\s", re.I)


_SHORT_TITLE_WORDS = 10
_TITLE_STYLES = frozenset({"num", "num_multi", "roman", "alpha"})


# a sentence or a lead-in ends so; a title does not
_ENDS_SENTENCE = re.compile(r"[.:;!?…)\]”\"]\s*$")


def _is_short_title(text: str) -> bool:
    """A line that ends no sentence and is short: "Chế độ báo cáo", "Giám sát và xử lý ổ dịch"."""
    t = text.strip()
    return bool(t) and not _ENDS_SENTENCE.search(t) and len(t.split()) <= _SHORT_TITLE_WORDS


def _is_group_heading(text: str, child_styles: list[str]) -> bool:
    """A parent in capitals is a title; so is one that ends no sentence (no . : ;) over
    numbered sub-items ("1. Nâng cao năng lực ..." over "1.1.", "1.2."), as plans are written."""
    t = text.strip()
    if mostly_upper(t):
        return True
    if not child_styles or _ENDS_SENTENCE.search(t):
        return False  # (a sentence or a lead-in)
    numbered = all(s in {"num", "num_multi", "roman", "dieu", "alpha", "alpha_num"} for s in child_styles)
    # a short title over dashed items ("1. Giám sát và xử lý ổ dịch", "6. Báo cáo") is a title too
    return len(t.split()) <= (40 if numbered else _SHORT_TITLE_WORDS)


# a heading over the duties of one body: "Nhiệm vụ, quyền hạn của Ban Chỉ đạo", "Trách nhiệm của Sở Y tế"
_DUTIES_OF = re.compile(r"(?i)^(?:trách\s+nhiệm|nhiệm\s+vụ(?:\s*,?\s*(?:và\s+)?quyền\s+hạn)?|nhiệm\s+vụ\s+cụ\s+thể"
                        r"|phân\s+công\s+nhiệm\s+vụ)\s+(?:của|đối\s+với|cho)\s+")
# the issuer founding a body ("Thành lập Ban Chỉ đạo ...", "Kiện toàn Tổ công tác ...") in a decision
_FOUNDING = re.compile(r"(?i)^(?:thành\s+lập|kiện\s+toàn|giải\s+thể)\s+(?:ban|tổ|hội\s+đồng|đoàn|nhóm)\b")

# "Văn phòng ... theo dõi, đôn đốc các đơn vị thực hiện nội dung Thông báo này": following up the
# closing formula is a duty of its own
_OVERSEES = re.compile(r"(?i)\b(?:theo\s+dõi|đôn\s+đốc)\b")

# a letter's opening that only cites what it rests on: "Thực hiện Công văn số 2350/BNNMT-QLĐĐ ..."
_PREAMBLE = re.compile(r"(?i)^(?:thực\s+hiện|căn\s+cứ)\s+(?:các\s+)?(?:quyết\s+định|công\s+văn|chỉ\s+thị|kế\s+hoạch"
                       r"|nghị\s+quyết|thông\s+tư|công\s+điện|văn\s+bản|kết\s+luận|thông\s+báo|nghị\s+định|luật)"
                       r"\s+(?:số\s*:?\s*)?\d")

# the closing formula: "(X) yêu cầu / đề nghị" + who + "(quan tâm) (nghiêm túc) (chỉ đạo,) triển khai thực hiện."
_ASKS = re.compile(r"(?i)(?:^|\s)(?:yêu\s+cầu|đề\s+nghị)\s+(?:(?:các\s+)?đồng\s+chí\s+)?$")
_DO_IT = re.compile(r"(?i)\s*(?:quan\s+tâm\s*,?\s+)?(?:(?:nghiêm\s+túc|khẩn\s+trương|chủ\s+động|phối\s+hợp|kịp\s+thời)\s*,?\s+)*"
                    r"(?:(?:chỉ\s+đạo|triển\s+khai|tổ\s+chức)\s*,?\s+)*thực\s+hiện"
                    r"(?:\s+(?:nghiêm\s+túc|tốt|có\s+hiệu\s+quả))?\s*\.?(?:/\.)?\s*$")

# "Thứ hai, ", "Đồng thời, ": words before the subject of a duty in prose
_LINKER = re.compile(r"(?i)(?:thứ\s+(?:nhất|hai|ba|tư|năm|sáu|bảy|tám|chín|mười)|đồng\s+thời|bên\s+cạnh\s+đó"
                     r"|ngoài\s+ra|mặt\s+khác|theo\s+đó|riêng"
                     # "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, X báo cáo ..."
                     # (a second comma only after a list: "nếu có khó khăn, vướng mắc, X ...", not "nếu có
                     # vướng mắc, các đơn vị ...")
                     r"|(?:trong\s+)?quá\s+trình[^,.;]{0,40},\s*(?:nếu|khi)[^,.;]{0,60}(?:,[^,.;]{0,30}(?=,))?"
                     r"|(?:trường\s+hợp|nếu)[^,.;]{0,80})\s*,?\s+")

# a news page's source mark before its summary lead: "(Baoquangngai.vn) - ", "(CMO) ", "TTO - ", "Kinhtedothi - "
_SOURCE_MARK = re.compile(r"(?:\(\s*[\w.\- ]{2,30}\)\s*[-–]?|[\p{Lu}][\w.]{1,20}(?:\s[\p{Lu}][\w.]*)?\s*[-–])\s")
# "... vừa ký / ban hành / yêu cầu ...": news of what was just done
_JUST_DID = re.compile(r"(?i)\bvừa\s+(?:ký|ban\s+hành|yêu\s+cầu|chỉ\s+đạo|có\s+(?:công|văn)|giao|đề\s+nghị)\b")

# "HNP - ", "NHN Online - ": a news agency's byline in front of the lead
_BYLINE = re.compile(r"^(?:[\p{Lu}][\p{L}]{1,12}\s?){1,3}\s?[-–]\s+(?=[\p{Lu}])")


def is_directive(sentence: str) -> tuple[bool, str]:
    """Is this sentence (or item text) a directive? Returns (yes, rule)."""
    s = sentence.strip()
    if "-" in s[:45] or "–" in s[:45]:  # a byline ends with its dash within 3 * 14 + 1 characters
        s = _BYLINE.sub("", s)
    if not s:
        return False, "empty"
    if (hit := seg("right", s)):
        return False, hit[0].rule
    if (hit := seg("not_obligation", s)) and not _OVERSEES.search(s, 0, hit[1].start() + 1):
        return False, hit[0].rule
    if (hit := seg("background", s)):
        return False, hit[0].rule
    if (hit := seg("report_verb", s)):
        # reporting wording ("vừa ký ban hành Chỉ thị ...") is a directive only when a
        # real "yêu cầu X + action" follows in the same sentence, or when the "ban hành" is
        # itself what someone is told to do ("Giao Sở Y tế chủ trì, tham mưu ... ban hành kế hoạch")
        rest = s[hit[1].end():]
        told = seg("modal", s[:hit[1].end()]) is not None or (
            # "Tham mưu UBND tỉnh ban hành kế hoạch ...": opens with its duty (not "... đã ban hành");
            # "Tuyên truyền, vận động nông dân thực hiện đúng hợp đồng đã ký": the deed done is inside
            # the object of the duty the sentence opens with
            seg("action_start", s) is not None and (re.search(r"\b(?:đã|vừa)\s", hit[1].group(0)) is None
                                                   or _DONE_IN_OBJECT.search(s, 0, hit[1].start() + 8) is not None))
        if not told and not re.search(r"\b(?:yêu cầu|đề nghị|giao)\s+(?:các\s|[\p{Lu}])", rest):
            return False, hit[0].rule
    if (hit := seg("action_start", s)):
        return True, hit[0].rule
    if (hit := seg("modal", s)):
        return True, hit[0].rule
    if (hit := seg("modal_weak", s)):
        return True, hit[0].rule + ":weak"
    return False, "no_cue"


# "... hợp đồng đã ký", "... các văn bản đã ban hành": a past deed that qualifies a noun
_DONE_IN_OBJECT = re.compile(r"(?i)\b(?:hợp\s+đồng|văn\s+bản|kế\s+hoạch|quyết\s+định|cam\s+kết|thỏa\s+thuận|chương\s+trình"
                             r"|quy\s+định|nội\s+dung)(?:\s+\p{Ll}+){0,3}\s+(?:đã|vừa)\s")

# "(Ban hành kèm theo Quyết định số ...)" after a title in capitals
_PAREN_TAIL = re.compile(r"\s*\([^()]*\)\s*$")


def is_pointer(text: str) -> bool:
    """A lead-in that points at what follows (``... một số nội dung sau:``)."""
    return seg("pointer", text.strip()) is not None


def states_duty_before_pointer(text: str) -> bool:
    """A one-sentence lead-in that says the duty itself before pointing at the list: ``... yêu cầu X
    tổ chức theo dõi, cập nhật diễn biến ..., trong đó tập trung một số nhiệm vụ sau:``."""
    t = text.strip()
    hit = seg("pointer", t)
    if hit is None:
        return False
    before = t[: hit[1].start()]
    return seg("pointer_after_duty", before) is not None and is_directive(before)[0]


# what may stand between the agencies a lead-in addresses and its colon ("... đề nghị các đơn vị thực hiện:")
_TO_THE_LIST = re.compile(r"(?i)\s*(?:(?:khẩn\s+trương\s+|tập\s+trung\s+)?(?:thực\s+hiện|triển\s+khai(?:\s+thực\s+hiện)?)"
                          r"(?:\s+(?:tốt|nghiêm\s+túc|ngay))?(?:\s+(?:một\s+số|các)\s+(?:nội\s+dung|việc)\s+sau)?)?\s*:\s*$")


def _names_who_before_colon(sent: str, agents: list[Agency], base: int) -> bool:
    """``UBND tỉnh đề nghị các đơn vị, địa phương:``, ``Yêu cầu Ủy ban nhân dân các xã, phường:``: a
    sentence that addresses agencies and then only points, by its colon, at the list that follows:
    a lead-in, no duty of its own (SPEC §3)."""
    end = max(a.span[1] for a in agents) - base
    return 0 < end <= len(sent) and _TO_THE_LIST.match(sent, end) is not None


def _agent_only(text: str, agents: list[Agency], base: int) -> bool:
    """``4. Chủ tịch Ủy ban nhân dân các huyện, thành phố:`` — the text is just who acts."""
    if not agents:
        return False
    t = text.strip()
    colon = t.endswith(":")
    if not colon and re.search(r"[.;!?]\s*$", t):
        return False
    rest = t
    for a in sorted(agents, key=lambda a: -a.span[0]):
        s, e = a.span[0] - base, a.span[1] - base
        if 0 <= s < e <= len(text):
            rest = rest.replace(text[s:e].strip(), " ", 1)
    rest = re.sub(r"(?i)\b(?:đối với|riêng|về phía|và|với|các|của)\b", " ", rest)
    # "4. Chủ tịch UBND các huyện, thành phố:" / "I. Các Chi cục Hải quan trên toàn quốc"
    leftover = [w for w in rest.replace(":", " ").split() if w not in {",", "-", "–"}]
    return len(leftover) <= (1 if colon else 3)


# -------------------------------------------------------------- outline ----


# "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, ... báo cáo ...": said of the whole text
_WHILE_CARRYING_OUT = re.compile(r"(?i)^(?:trong\s+)?quá\s+trình\s+(?:tổ\s+chức\s+)?(?:triển\s+khai\s+)?thực\s+hiện\b")


def _closing(text: str) -> bool:
    """A paragraph that ends an item: a closing formula, one that addresses agencies, or the
    closing "Trong quá trình thực hiện, nếu có khó khăn ..." of the whole text."""
    return (seg("not_obligation", text) is not None
            # (not "Chỉ đạo các trạm y tế ...": the duty of the item above, its subject left out)
            or (seg("address", text[:80]) is not None and _DIRECTS_FIRST.match(text) is None)
            or _WHILE_CARRYING_OUT.match(text) is not None or _SUMMING_UP.match(text) is not None)


# a sentence that goes on with the previous one's subject ("Đồng thời cử cán bộ ...", "Ngoài ra, phối hợp ...")
_GOES_ON = re.compile(r"(?i)\s*(?:đồng\s+thời|ngoài\s+ra|bên\s+cạnh\s+đó|sau\s+đó)(?![\p{L}\p{M}])")


_DIRECTS_FIRST = re.compile(r"(?i)\s*(?:tiếp\s+tục\s+|tăng\s+cường\s+)?chỉ\s+đạo\s")


# "Trên đây là Kế hoạch ..., UBND xã yêu cầu ...": the text sums itself up after its last item
_SUMMING_UP = re.compile(r"(?i)^trên\s+đây\s+là\b")
# a condition before the subject: "Trong quá trình thực hiện, nếu có vướng mắc, X báo cáo ..."
_IF_CLAUSE = re.compile(r"(?i)^(?:trong\s+quá\s+trình|quá\s+trình|nếu|khi|trường\s+hợp)(?![\p{L}\p{M}])")
_CLAUSE_COMMA = re.compile(r",\s*")
# whose the bodies just named are: "các cơ quan báo chí của Thành phố", "các doanh nghiệp trên địa bàn tỉnh"
_OF_PLACE = re.compile(r"(?i)\s*(?:của\s+(?:thành\s+phố|tỉnh|huyện|quận|thị\s+xã|xã|phường)|trên\s+địa\s+bàn"
                       r"(?:\s+(?:tỉnh|thành\s+phố|huyện|quận|xã|phường))?)(?![\p{L}\p{M}])")


def build_outline(paras: list[Paragraph]) -> list[object]:
    """Paragraphs → a list of top-level nodes: _Item trees and plain Paragraphs.

    A label style seen before on the stack closes the deeper levels (its
    sibling); a new style opens a child level.  An unlabelled paragraph after an
    item whose text ends with ``:`` or that starts in lower case continues it;
    otherwise it closes the outline and reads as prose.
    """
    nodes: list[object] = []
    stack: list[_Item] = []
    for p in paras:
        if p.furniture:
            nodes.append(p)
            continue
        if p.style:
            # "1.", "2." under "II." are children; "Điều 2" resets everything
            while stack and stack[-1].style != p.style and p.style in {s.style for s in stack}:
                stack.pop()
            if stack and stack[-1].style == p.style:
                stack.pop()
            item = _Item(p, p.style, p.label or "")
            if stack:
                item.parent = stack[-1]
                stack[-1].children.append(item)
            else:
                nodes.append(item)
            stack.append(item)
            continue
        if stack:
            last = stack[-1]
            last_text = (last.extra[-1].text if last.extra else last.para.text).rstrip()
            deep = len(stack) >= 2
            if ((last_text.endswith(":") and not last.children) or p.text[:1].islower()
                    or (deep and not _closing(p.text))):
                # a paragraph inside a nested item continues it (web copies drop the indent)
                last.extra.append(p)
                continue
        stack.clear()
        nodes.append(p)
    return nodes


def _label_path(item: _Item) -> str:
    parts: list[str] = []
    node: _Item | None = item
    while node is not None:
        lab = node.label
        if node.style in {"dash", "plus", "bullet"}:
            sibs = node.parent.children if node.parent else [node]
            same = [c for c in sibs if c.style == node.style]
            mark = "+" if node.style == "plus" else "-"
            lab = f"{mark}{same.index(node) + 1}" if node in same else mark
        elif node.style == "num_multi" and node.parent and lab.startswith(node.parent.label + "."):
            parts.append(lab)
            node = node.parent.parent
            continue
        parts.append(lab)
        node = node.parent
    return ".".join(reversed(parts))


def _depth(item: _Item) -> int:
    d, node = 1, item.parent
    while node is not None:
        d += 1
        node = node.parent
    return d


# ---------------------------------------------------------------- main ----


class Segmenter:
    """Walks the structure and yields obligation candidates with inherited agents.

    ``frame_agents(text, base)`` must return the agencies a lead-in or frame
    addresses; it is injected so this module does not depend on the gazetteer.
    """

    def __init__(self, structure: Structure, frame_agents, own_agents, addressees: list[Agency] | None = None,
                 opening_agency=None):
        self.st = structure
        self._para_index = {q.start: k for k, q in enumerate(structure.paragraphs)}
        self.frame_agents = frame_agents
        self.own_agents = own_agents
        # the agency a heading opens with ("II. Các Chi cục Hải quan đã triển khai ...")
        self.opening_agency = opening_agency or (lambda text, base: [])
        # a letter's Kính gửi list: who acts when no lead-in names anyone
        self.addressees = list(addressees or [])
        self.doc_lead: list[Agency] = []
        self.doc_lead_is_pointer = False
        self.after_pointer = False  # a prose lead-in has pointed at what follows ("... yêu cầu:")
        self.seen_prose = False  # the first prose paragraph of a news page may be its summary lead
        self.prose_without_tasks = False  # prose right under "I. MỤC ĐÍCH, YÊU CẦU" (no children)
        self.in_section_without_tasks = 0  # inside "I. MỤC ĐÍCH, YÊU CẦU": only explicit modals count
        self.out: list[Candidate] = []

    # -- helpers --
    def _mark(self, agents: list[Agency]) -> list[Agency]:
        out = []
        for a in agents:
            if type(a) is Agency:
                # dataclasses.replace(a, inherited=True), without its field-by-field __init__ call
                b = object.__new__(Agency)
                b.__dict__.update(a.__dict__)
                b.inherited = True
            else:
                from dataclasses import replace

                b = replace(a, inherited=True)
            out.append(b)
        return out

    def _emit(self, text: str, span: tuple[int, int], label: str | None, depth: int,
              inherited: list[Agency], rule: str, conf: float,
              attrs: list[tuple[str, int, int]] | None = None) -> None:
        clean = " ".join(text.split())
        if not clean:
            return
        self.out.append(Candidate(clean, span, label, depth, self._mark(inherited), Provenance(rule, conf),
                                  list(attrs or [])))

    def _without_effects(self, span: tuple[int, int]) -> tuple[int, int]:
        """An item's span without the sentences at its start or end that direct no one: an
        effect clause or an approval ("Nội dung ... được áp dụng từ ngày 01/01/2021.") is left
        out of its text (SPEC §3); the item keeps one sentence at least."""
        sents = split_sentences(self.st.text[span[0]:span[1]], span[0])
        if len(sents) < 2:
            return span
        start, end = span
        while len(sents) > 1 and seg("not_obligation", sents[0][2]):
            sents.pop(0)
            start = sents[0][0]
        while len(sents) > 1 and seg("not_obligation", sents[-1][2]):
            sents.pop()
            end = sents[-1][1]
        return start, end

    # -- prose --
    def _summary_lead(self, p: Paragraph) -> bool:
        """A news page's first paragraph that sums up the article ("(Baoquangngai.vn) - UBND tỉnh
        vừa yêu cầu ...", "TTO - ... yêu cầu ..."): the body states the duties again, so it is no
        task of its own and names no lead-in (corpus_a 005, seeds 002)."""
        if self.st.is_letter or self.seen_prose:
            return False
        self.seen_prose = True
        head = self.st.text[p.body_start:min(p.end, p.body_start + 400)]
        return _SOURCE_MARK.match(head) is not None or _JUST_DID.search(head) is not None

    def prose(self, p: Paragraph) -> None:
        if self._summary_lead(p):
            return
        frame: list[Agency] = []
        prev_obligation = False
        last_own: list[Agency] = []  # the own subject of the paragraph's last duty
        for s, e, sent in split_sentences(self.st.text[p.body_start:p.end], p.body_start):
            if seg("caption", sent) or mostly_upper(_PAREN_TAIL.sub("", sent)):
                # a photo caption; a title in capitals ("KẾ HOẠCH TRIỂN KHAI ... (Ban hành kèm theo ...)")
                prev_obligation = False
                continue
            if prev_obligation and self.out and seg("link", sent):
                last = self.out[-1]
                full = self.st.text[last.span[0]:e]
                last.text = " ".join(full.split())
                last.span = (last.span[0], e)
                continue
            pointer = is_pointer(sent)
            addressed = self._address(sent)
            if addressed:
                agents = self.frame_agents(sent, s)
                if agents and not pointer and _names_who_before_colon(sent, agents, s):
                    pointer = True  # "UBND tỉnh đề nghị các đơn vị, địa phương:": only who, then the list
                if agents:
                    frame = agents
                    self.after_pointer = True  # agencies addressed: what follows is what they are told
                    if pointer or not self.doc_lead:
                        self.doc_lead = agents
                        self.doc_lead_is_pointer = pointer
            if pointer:
                self.after_pointer = True
                if not addressed and (own := self.own_agents(sent, s)):
                    # "Chủ tịch UBND các tỉnh ... có trách nhiệm:": its subject does the items below
                    self.doc_lead, self.doc_lead_is_pointer = own, True
            if pointer and not states_duty_before_pointer(sent):
                prev_obligation = False
                continue
            if addressed and self._bare_closing(sent, s):
                prev_obligation = False
                continue
            directive, rule = is_directive(sent)
            if not directive and rule == "no_cue" and (self.after_pointer or self.st.is_letter) and self._agent_acts(sent, s):
                directive, rule = True, "agent_action"
            if directive and self.prose_without_tasks and "modal" not in rule:
                directive = False  # an aim under "MỤC ĐÍCH, YÊU CẦU" ("Nâng cao hiệu quả ...")
            if directive and not self.out and not addressed and _PREAMBLE.match(sent) and not self.own_agents(sent, s):
                # "Thực hiện Quyết định số 06/QĐ-TTg ...; Công văn số 1245/BCA-C06 ..." standing alone at
                # the head of a letter: the documents it rests on (căn cứ), no one told to do anything
                prev_obligation = False
                continue
            if directive:
                own = self.own_agents(sent, s)
                inherited = frame or self.doc_lead
                if not own and prev_obligation and last_own and _GOES_ON.match(sent):
                    # "Phòng Kinh tế khẩn trương thống kê ... Đồng thời cử cán bộ xuống đồng ...": the same
                    # subject goes on with another duty
                    inherited = self._mark(last_own)
                if rule.endswith(":weak") and not own and not inherited:
                    prev_obligation = False
                    continue
                self._emit(sent, (s, e), None, 0, inherited, rule, 0.5 if rule.endswith(":weak") else 0.7)
                prev_obligation = True
                last_own = own
            else:
                prev_obligation = False

    def _bare_closing(self, sent: str, base: int) -> bool:
        """``Yêu cầu Thủ trưởng các cơ quan, đơn vị ... nghiêm túc triển khai thực hiện.``, ``Bộ Tài
        chính đề nghị các Bộ ... quan tâm chỉ đạo thực hiện.``: the closing formula that asks for the
        whole text to be carried out (SPEC §3) -- only who, then "do it", nothing of its own."""
        agents = self.frame_agents(sent, base)
        if not agents:
            return False
        a0 = min(a.span[0] for a in agents) - base
        a1 = max(a.span[1] for a in agents) - base
        return (a0 <= 250 and _ASKS.search(sent, 0, a0) is not None
                and _DO_IT.match(sent, a1) is not None)

    def _agent_acts(self, sent: str, base: int) -> bool:
        """``Công an tỉnh phối hợp với ... bảo đảm ...``: agencies, then an action verb.  After a
        lead-in that points at what follows ("... yêu cầu:") or a sentence that addresses agencies
        ("UBND tỉnh yêu cầu các sở ..."), such a sentence is one of the duties handed out, with no
        modal word needed (a web copy drops the numbers; a news page writes "Thứ hai, X ...")."""
        lk = _LINKER.match(sent)
        starts = [lk.end() if lk else 0]
        if _IF_CLAUSE.match(sent):
            # "Trong quá trình thực hiện, nếu có vướng mắc, Thuế các tỉnh báo cáo về Cục Thuế ...": the
            # agency acts after the condition
            starts += [m.end() for m in _CLAUSE_COMMA.finditer(sent, 0, 200)]
        for start in starts:
            pos = start
            for _ in range(6):  # "Sở Y tế, Sở Tài chính và Công an tỉnh ..."
                found = self.opening_agency(sent[pos:], base + pos)
                if not found:
                    break
                pos = found[0].span[1] - base
            if pos > start:
                of = _OF_PLACE.match(sent, pos)  # "các cơ quan báo chí của Thành phố thông tin ..."
                if seg("action_start", sent[of.end() if of else pos:].lstrip(" ,")) is not None:
                    return True
        return False

    def _address(self, sent: str) -> bool:
        return seg("address", sent) is not None

    # -- outline --
    def _children(self, it: _Item, inherit: list[Agency], lead_pointer: bool) -> None:
        # rows that share one "Cơ quan thực hiện / Thời gian" block written after the last of them
        own_attrs = [self._attributes(c) for c in it.children]
        for k, c in enumerate(it.children):
            borrowed = None
            if not own_attrs[k] and not c.children:
                for j in range(k + 1, len(it.children)):
                    if it.children[j].style != c.style:
                        break
                    if own_attrs[j]:
                        borrowed = own_attrs[j]
                        break
                    if it.children[j].children:
                        break
            self.item(c, inherit, lead_pointer, borrowed, own_attrs[k])

    def _attributes(self, it: _Item) -> list[tuple[str, int, int]]:
        out = []
        todo = list(it.children)
        while todo:
            c = todo.pop(0)
            body = self.st.text[c.para.body_start:c.para.end]
            hit = seg("task_attribute", body)
            if hit:
                key = hit[1].group("key").lower()
                kind = ("when" if key.startswith(("thời", "tiến")) else
                        "with" if "phối hợp" in key else  # "Cơ quan phối hợp: ..." helps; it does not lead
                        "who" if key.startswith(("cơ", "đơn")) else "other")
                out.append((kind, c.para.body_start + hit[1].end(), c.para.end))
                # "- Cơ quan thực hiện: ..." then "* Thời gian thực hiện: ...": another bullet reads as
                # nested, but it is the row's next attribute
                todo[:0] = c.children
        return out

    def item(self, it: _Item, inherited: list[Agency], lead_pointer: bool,
             borrowed: list[tuple[str, int, int]] | None = None,
             own_attrs: list[tuple[str, int, int]] | None = None) -> None:
        p = it.para
        self.prose_without_tasks = False
        attrs = (self._attributes(it) if own_attrs is None else list(own_attrs)) or list(borrowed or [])
        if attrs:
            # attribute lines belong to the row; they are not items of their own
            it.children = [c for c in it.children
                           if not seg("task_attribute", self.st.text[c.para.body_start:c.para.end])]
        own_end = it.children[0].para.start if it.children else p.end
        own_text = self.st.text[p.body_start:own_end].rstrip()
        extras = [x for x in it.extra if not it.children or x.start < it.children[0].para.start]
        if extras:
            own_end = extras[-1].end
            own_text = self.st.text[p.body_start:own_end].rstrip()
        label = _label_path(it)
        depth = _depth(it)
        # who this item addresses: a frame ("yêu cầu X ...") or its own subject ("Các cơ sở KCB thực hiện ... như sau:")
        agents_here = self.frame_agents(own_text, p.body_start) or (
            self.own_agents(own_text, p.body_start) if it.children else [])
        toward = _TOWARD.match(own_text) if it.children else None
        if toward and not agents_here:
            # "1. Đối với các sở, ban, ngành tỉnh:" names who acts in the items below
            agents_here = self.frame_agents(own_text[toward.end():], p.body_start + toward.end())
        if it.children and not agents_here and _is_group_heading(own_text, ["num"]):
            # a section title that opens with an agency names who acts in it
            agents_here = self.opening_agency(own_text, p.body_start)
        duties_of = _DUTIES_OF.match(own_text) if it.children and not agents_here else None
        if duties_of:
            # "Điều 2. Nhiệm vụ, quyền hạn của Ban Chỉ đạo", "3. Trách nhiệm của Sở Y tế:": the body whose
            # duties the items below are
            agents_here = self.opening_agency(own_text[duties_of.end():], p.body_start + duties_of.end())
            if agents_here:
                self._children(it, agents_here, True)
                return
        if it.children and (_FOUNDING.match(own_text) or seg("not_obligation", own_text[:60])):
            # "Điều 1. Thành lập Ban Chỉ đạo ..., gồm các thành viên sau:" (its members) and "Phê duyệt
            # chủ trương đầu tư ... với các nội dung chủ yếu sau:" (its content): the issuer's own decision;
            # what is listed under it binds no one, unless an item says so in so many words
            self.in_section_without_tasks += 1
            for c in it.children:
                self.item(c, [], False)
            self.in_section_without_tasks -= 1
            return
        heading = len(own_text) < 90 and seg("non_task_section", own_text) is not None
        if it.children:
            pointer = is_pointer(own_text) or self._addressing_lead_in(own_text, agents_here)
            if _is_group_heading(own_text, [c.style for c in it.children]) and not heading:
                # "III. TỔ CHỨC THỰC HIỆN", "1. Nâng cao năng lực ... quan hệ lao động": a title over its
                # items; one that names an agency ("1. Bảo hiểm xã hội Việt Nam") says who does them
                self._children(it, agents_here or inherited, bool(agents_here))
                return
            agent_only = _agent_only(own_text, agents_here, p.body_start)
            child_inherit = agents_here if agents_here else inherited
            if heading:
                self.in_section_without_tasks += 1
                for c in it.children:
                    self.item(c, inherited, False)
                self.in_section_without_tasks -= 1
                return
            directive, rule = is_directive(own_text)
            if directive and rule.endswith(":weak") and not inherited and not self.own_agents(own_text, p.body_start):
                directive = False
            if not agent_only and not pointer and directive:
                self._emit(own_text, (p.body_start, own_end), label, depth, inherited,
                           "outline:parent+" + rule, 0.75)
            elif not agent_only and pointer and self._has_content_before_pointer(own_text):
                self._emit(own_text, (p.body_start, own_end), label, depth, inherited,
                           "outline:parent_with_pointer", 0.6)
            self._children(it, child_inherit, pointer or agent_only)
            return
        if heading or (mostly_upper(own_text) and len(own_text) < 120):
            # "I. MỤC ĐÍCH, YÊU CẦU" / "III. TỔ CHỨC THỰC HIỆN" over un-numbered paragraphs: a title;
            # the paragraphs under a purpose heading state aims, not tasks
            self.prose_without_tasks = heading
            return
        if extras and not it.children:
            # "1. Phòng Y tế huyện" with its duties in paragraphs below: the heading says who (SPEC §3:
            # a parent that only names who acts passes its agency down), the paragraphs are the item
            head_text = self.st.text[p.body_start:p.end]
            who = self.frame_agents(head_text, p.body_start)
            if who and _agent_only(head_text, who, p.body_start):
                inherited = who
                own_start, own_end = self._without_effects((extras[0].start, own_end))
                own_text = self.st.text[own_start:own_end]
                directive, rule = is_directive(own_text)
                if directive or self._agent_acts(own_text, own_start):
                    self._emit(own_text, (own_start, own_end), label, depth, inherited,
                               "outline:item_under_agent_heading+" + (rule if directive else "agent_action"), 0.75)
                return
        if (not it.children and not extras and it.style in _TITLE_STYLES and _is_short_title(own_text)
                and self._prose_follows(p) and not self.own_agents(own_text, p.body_start)):
            # "3. Chế độ báo cáo" over a paragraph: a title; its paragraph is read as prose
            return
        own_start, own_end = self._without_effects((p.body_start, own_end))
        if own_start > p.body_start:
            # a sentence left out may still address someone ("Đề nghị các đơn vị ... triển khai thực
            # hiện. Nếu có khó khăn, báo cáo ..."): the rest takes that agent (SPEC §3)
            inherited = self.frame_agents(self.st.text[p.body_start:own_start], p.body_start) or inherited
        own_text = self.st.text[own_start:own_end]
        directive, rule = is_directive(own_text)
        own_now = self.own_agents(own_text, own_start)
        if directive and rule.endswith(":weak") and not inherited and not own_now:
            directive = False
        if directive and self.in_section_without_tasks and not re.search(r"modal", rule):
            directive = False  # purpose statements open with verbs too ("Nâng cao nhận thức ...")
        if not directive and own_now and rule == "no_cue" and (
                not self.in_section_without_tasks or self._agent_acts(own_text, own_start)):
            # "Chi cục Hải quan nơi lưu giữ hàng hóa hướng dẫn người khai ...": an item that names who acts
            # (under "MỤC ĐÍCH, YÊU CẦU" or a founding clause only as "agencies + action verb")
            directive, rule = True, "outline:own_subject"
        if not directive and ":right#" in rule:
            return  # a right granted is not a task, even under a pointer
        if directive or lead_pointer or attrs:
            self._emit(own_text, (own_start, own_end), label, depth, inherited,
                       "outline:item+" + (rule if directive else "under_pointer" if lead_pointer else "task_row"),
                       0.85 if directive else 0.6, attrs)

    def _prose_follows(self, p: Paragraph) -> bool:
        """Is the next paragraph after ``p`` (furniture passed over) an unlabelled one that goes on
        with the text (not a closing formula)?"""
        paras = self.st.paragraphs
        k = self._para_index.get(p.start)
        if k is None:
            return False
        for q in paras[k + 1:]:
            if q.furniture:
                continue
            return not q.style and not _closing(q.text)
        return False

    @staticmethod
    def _addressing_lead_in(text: str, agents: list[Agency]) -> bool:
        """``a) Đề nghị Thủ trưởng các đơn vị chủ trì, phối hợp với ...:`` only says who, then lists."""
        t = text.strip()
        return bool(agents) and t.endswith(":") and _ADDRESS_START.match(t) is not None and len(t.split()) <= 40

    def _has_content_before_pointer(self, text: str) -> bool:
        sents = split_sentences(text)
        if len(sents) >= 2:
            return any(is_directive(s[2])[0] for s in sents[:-1])
        # one sentence: "X, trong đó tập trung các nội dung sau:" is content; "... các nội dung sau:" is not
        return bool(sents) and states_duty_before_pointer(sents[0][2])

    def run(self) -> list[Candidate]:
        from .tables import task_rows

        rows, in_tables = task_rows(self.st.paragraphs, self.st.text)
        paras = [p for p in self.st.paragraphs if id(p) not in in_tables] if in_tables else self.st.paragraphs
        nodes = build_outline(paras)
        for node in nodes:
            if isinstance(node, Paragraph):
                if node.furniture:
                    continue
                if not self.doc_lead and self.addressees:
                    self.doc_lead = self.addressees
                self.prose(node)
            else:
                if not self.doc_lead and self.addressees:
                    self.doc_lead = self.addressees
                self.item(node, self.doc_lead, self.doc_lead_is_pointer)
        if rows:
            leads: dict[int, list[Agency]] = {}
            for r in rows:
                if id(r.before) not in leads:
                    # "Các đơn vị gửi báo cáo theo bảng sau:": the lead-in says who does the rows
                    b = r.before
                    t = self.st.text[b.body_start:b.end] if b is not None and not b.furniture else ""
                    own = (self.frame_agents(t, b.body_start) or self.own_agents(t, b.body_start)) \
                        if t and is_pointer(t) else []
                    leads[id(r.before)] = own or self.doc_lead or self.addressees
                lead = leads[id(r.before)]
                # a task-table row: the task cell is its text; who leads, who helps and by when
                # are read from their columns (an empty "chủ trì" cell leaves the letter's lead-in)
                self._emit(r.task.text, (r.task.start, r.task.end), r.label, 1, lead, "table:row", 0.8,
                           [(role, c.start, c.end) for role, c in r.columns])
            self.out.sort(key=lambda c: c.span[0])
        return dedupe(self.out)


def _words(s: str) -> set[str]:
    return set(re.findall(r"\w+", s.lower()))


_DEDUPE_WINDOW = 100  # prose candidates a candidate is compared with, after it


def dedupe(cands: list[Candidate], threshold: float = 0.75) -> list[Candidate]:
    """A news page often states one directive twice (a teaser, then the body).
    Of two prose candidates with near-identical words the longer is kept, so a
    tracker does not get the task twice.  Each is compared with the next
    ``_DEDUPE_WINDOW`` prose candidates only (a page's teaser and body are close;
    comparing every pair of a letter of thousands of sentences took minutes)."""
    keep = [True] * len(cands)
    prose = [i for i, c in enumerate(cands) if c.label is None]
    if len(prose) < 2:
        return cands
    ws = {i: _words(cands[i].text) for i in prose}
    for k, i in enumerate(prose):
        if not keep[i]:
            continue
        for j in prose[k + 1:k + 1 + _DEDUPE_WINDOW]:
            if not keep[j]:
                continue
            inter = len(ws[i] & ws[j])
            if inter / max(1, len(ws[i] | ws[j])) >= threshold:
                if len(cands[j].text) >= len(cands[i].text):
                    keep[i] = False
                    break
                keep[j] = False
    return [c for c, k in zip(cands, keep) if k]
