"""The Standard Safeguarding Dataset (SSD): its tables holding the facts Oversight keeps, as CSV.

The column names are the dataset's own, from Data to Insight's data model
(github.com/data-to-insight/ssd-data-model, `data/objects/ssd_*.yml`, as published in 2024-25;
the extracts write each table as `ssd_<table>`). Each file is known by the columns of its first
line; the columns read, and what they become (docs/spec/timescales.md):

- `ssd_person` (`pers_person_id`, `pers_dob`, `pers_expected_dob`): the child, matched on the
  council's reference (`pers_person_id`), and their date or expected date of birth;
- `ssd_s47_enquiry` (`s47e_s47_enquiry_id`, `s47e_person_id`, `s47e_s47_start_date`): a
  `strategy_discussion` on the start (the discussion that began the enquiry);
- `ssd_initial_cp_conference` (`icpc_icpc_id`, `icpc_person_id`, `icpc_icpc_date`, optional
  `icpc_s47_enquiry_id`, `icpc_cp_plan_id`, `icpc_icpc_outcome_cp_flag` Y/N): an `icpc`, `plan`
  when the flag is Y or a plan begins that day, with the plan's categories; checked against its
  enquiry's start as the CIN census is (15 working days);
- `ssd_cp_plans` (`cppl_cp_plan_id`, `cppl_person_id`, `cppl_cp_plan_start_date`,
  `cppl_cp_plan_end_date`, `cppl_cp_plan_initial_category`, `cppl_cp_plan_latest_category`): a
  plan begins at an ICPC on its start (one is imported that day, with a warning, when none is
  given) and ends at an `rcpc` `end` on its end;
- `ssd_cp_reviews` (`cppr_cp_review_id`, `cppr_cp_plan_id`, `cppr_cp_review_date`, optional
  `cppr_cp_review_outcome` Y/N "plan to continue"): an `rcpc`, `continue` or (N) `end`;
- `ssd_cla_episodes` (`clae_cla_episode_id`, `clae_person_id`, `clae_cla_episode_start_date`,
  `clae_cla_episode_ceased`): episodes of care, read as the 903's are (`care`);
- `ssd_cla_reviews` (`clar_cla_review_id`, `clar_cla_episode_id`, `clar_cla_review_date`,
  `clar_cla_review_participation`, optional `clar_cla_review_cancelled` Y: not held): a
  `lac_review` with its participation code;
- `ssd_legal_status` (`lega_legal_status_id`, `lega_person_id`, `lega_legal_status`,
  `lega_legal_status_start_date`): a looked-after child's legal status, the 903's `LS` codes
  (C1, C2, V2 …), a `legal_status` on its start where it changes, as the 903's episodes give
  it; it belongs to an episode of `ssd_cla_episodes`. The dataset's other statuses (special
  guardianship, private fostering, a care leaver's) are a warning each, not imported;
- `ssd_involvements` (`invo_involvements_id`, `invo_person_id`, `invo_professional_role_id`,
  `invo_involvement_start_date`, optional `invo_professional_id`, `invo_involvement_end_date`):
  an IRO's involvement (role `IRO` or `Independent Reviewing Officer`) is an `iro_allocated` on
  its start. A social worker's or team manager's (`WORKER_ROLES`) is an allocation of that role,
  from its start to its end, to the member of Oversight's staff whose username or email address
  is the `invo_professional_id` (`actions`: one who is not, or who does not hold the role, is a
  warning and the involvement is not imported). Any other role is a warning: Oversight holds no
  such allocation.

Dates are `YYYY-MM-DD` (a time after the date, as SQL Server writes it, is ignored) or
`DD/MM/YYYY`. Every problem names the file's line and the column."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from oversight.cases.constants import LegalStatus, Role
from oversight.cases.formatting import sentence_day
from oversight.interop.care import Episode, Episodes
from oversight.interop.problems import Report
from oversight.interop.records import (
    Children,
    Fact,
    Incoming,
    Involvement,
    Source,
    check_children,
    check_icpc_held,
    check_reference,
    columns,
    readable_csvs,
    rows,
)
from oversight.timescales.rules import Policy

# Each table by the columns that name it, in the order they are read (a review is read after its
# plan or episode, whatever order the files are given in).
TABLES: tuple[tuple[str, frozenset[str]], ...] = (
    ("ssd_person", frozenset({"pers_person_id"})),
    (
        "ssd_s47_enquiry",
        frozenset({"s47e_s47_enquiry_id", "s47e_person_id", "s47e_s47_start_date"}),
    ),
    ("ssd_cp_plans", frozenset({"cppl_cp_plan_id", "cppl_person_id", "cppl_cp_plan_start_date"})),
    ("ssd_initial_cp_conference", frozenset({"icpc_icpc_id", "icpc_person_id", "icpc_icpc_date"})),
    ("ssd_cp_reviews", frozenset({"cppr_cp_review_id", "cppr_cp_plan_id", "cppr_cp_review_date"})),
    (
        "ssd_cla_episodes",
        frozenset({"clae_cla_episode_id", "clae_person_id", "clae_cla_episode_start_date"}),
    ),
    ("ssd_cla_reviews", frozenset({"clar_cla_review_id", "clar_cla_episode_id"})),
    (
        "ssd_legal_status",
        frozenset({"lega_legal_status_id", "lega_person_id", "lega_legal_status_start_date"}),
    ),
    (
        "ssd_involvements",
        frozenset({"invo_involvements_id", "invo_person_id", "invo_involvement_start_date"}),
    ),
)
# The dataset's categories of abuse (its words, or the census's codes) and the plan categories of
# the conference pages (`meetings.constants.CATEGORIES`); "Multiple" names none of them.
CATEGORIES: dict[str, str | None] = {
    "neglect": "neglect",
    "neg": "neglect",
    "physical abuse": "physical",
    "phy": "physical",
    "emotional abuse": "emotional",
    "emo": "emotional",
    "sexual abuse": "sexual",
    "sab": "sexual",
    "multiple": None,
    "mul": None,
}
FLAGS = {"Y": True, "N": False}
# The roles of an involvement that are the child's IRO.
IRO_ROLES = frozenset({"iro", "independent reviewing officer"})
# The other roles of an involvement (the dataset's words, lower case, as the extracts of Mosaic,
# LCS and Eclipse write them) that are an allocation in Oversight, and the role allocated.
WORKER_ROLES = {
    "social worker": Role.SOCIAL_WORKER,
    "allocated social worker": Role.SOCIAL_WORKER,
    "allocated case worker": Role.SOCIAL_WORKER,
    "case worker": Role.SOCIAL_WORKER,
    "cw": Role.SOCIAL_WORKER,
    "team manager": Role.TEAM_MANAGER,
}
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_UK = re.compile(r"(\d{2})/(\d{2})/(\d{4})")


@dataclass
class _Plan:
    child: Incoming
    start: dt.date
    end: dt.date | None
    initial: list[str]
    latest: list[str]
    file: str
    line: str
    icpcs: list[dt.date] = field(default_factory=list)


@dataclass
class _Reader:
    children: Children
    report: Report
    policy: Policy
    enquiries: dict[str, tuple[Incoming, dt.date]] = field(default_factory=dict)
    plans: dict[str, _Plan] = field(default_factory=dict)
    episodes: Episodes = field(default_factory=Episodes)
    episode_ids: dict[str, Incoming] = field(default_factory=dict)

    def date(self, row: dict[str, str], name: str, file: str, line: str) -> dt.date | None:
        text = row.get(name, "")
        if not text:
            return None
        iso, uk = _ISO.fullmatch(text), _UK.fullmatch(text)
        try:
            if iso is not None:
                return dt.date(int(iso[1]), int(iso[2]), int(iso[3]))
            if uk is not None:
                return dt.date(int(uk[3]), int(uk[2]), int(uk[1]))
        except ValueError:
            pass
        self.report.error(
            file, line, name, f"{text!r} is not a date: the dataset writes YYYY-MM-DD or DD/MM/YYYY"
        )
        return None

    def needed(
        self, row: dict[str, str], name: str, file: str, line: str, what: str
    ) -> dt.date | None:
        """A date the row cannot do without: missing is an error too."""
        if not row.get(name):
            self.report.error(file, line, name, f"The {what} is missing")
            return None
        return self.date(row, name, file, line)

    def child(self, row: dict[str, str], name: str, file: str, line: str) -> Incoming | None:
        reference = row.get(name, "")
        if not check_reference(reference, self.report, file, line, name):
            return None
        return self.children.get(reference, file, line)

    def flag(self, row: dict[str, str], name: str, file: str, line: str) -> bool | None:
        text = row.get(name, "")
        if not text:
            return None
        if text.upper() not in FLAGS:
            self.report.error(file, line, name, f"{text!r} is not a code here: Y or N")
            return None
        return FLAGS[text.upper()]

    def categories(self, row: dict[str, str], name: str, file: str, line: str) -> list[str]:
        text = row.get(name, "")
        if not text:
            return []
        # "Multiple: Neglect, Emotional abuse" lists the categories after the colon.
        head, _, listed = text.partition(":")
        words = [w.strip() for w in listed.split(",")] if listed.strip() else [head]
        found: list[str] = []
        for word in words:
            if word.lower() not in CATEGORIES:
                self.report.error(
                    file,
                    line,
                    name,
                    f"{word!r} is not a category of abuse: Neglect, Physical abuse, Emotional "
                    "abuse, Sexual abuse or Multiple",
                )
                continue
            category = CATEGORIES[word.lower()]
            if category and category not in found:
                found.append(category)
        return found

    def person(self, source: Source) -> None:
        for line, row in rows(source):
            child = self.child(row, "pers_person_id", source.name, line)
            if child is None:
                continue
            born = self.date(row, "pers_dob", source.name, line)
            if born is not None:
                self.children.born(child, born, self.report, source.name, line, "pers_dob")
            expected = self.date(row, "pers_expected_dob", source.name, line)
            if expected is not None:
                child.expected_date_of_birth = expected

    def s47_enquiry(self, source: Source) -> None:
        for line, row in rows(source):
            child = self.child(row, "s47e_person_id", source.name, line)
            start = self.needed(row, "s47e_s47_start_date", source.name, line, "enquiry's start")
            if child is None or start is None:
                continue
            self.enquiries[row.get("s47e_s47_enquiry_id", "")] = (child, start)
            child.add(
                Fact("strategy_discussion", start, {}, source.name, line, "s47e_s47_start_date")
            )

    def cp_plans(self, source: Source) -> None:
        for line, row in rows(source):
            child = self.child(row, "cppl_person_id", source.name, line)
            start = self.needed(row, "cppl_cp_plan_start_date", source.name, line, "plan's start")
            end = self.date(row, "cppl_cp_plan_end_date", source.name, line)
            initial = self.categories(row, "cppl_cp_plan_initial_category", source.name, line)
            latest = self.categories(row, "cppl_cp_plan_latest_category", source.name, line)
            if child is None or start is None:
                continue
            if end is not None and end < start:
                self.report.error(
                    source.name,
                    line,
                    "cppl_cp_plan_end_date",
                    f"The plan cannot end ({sentence_day(end)}) before it began ({sentence_day(start)})",
                )
                end = None
            plan = _Plan(child, start, end, initial, latest or initial, source.name, line)
            self.plans[row.get("cppl_cp_plan_id", "")] = plan
            if end is not None:
                child.add(
                    Fact(
                        "rcpc", end, {"outcome": "end"}, source.name, line, "cppl_cp_plan_end_date"
                    )
                )

    def initial_cp_conference(self, source: Source) -> None:
        for line, row in rows(source):
            child = self.child(row, "icpc_person_id", source.name, line)
            held = self.needed(row, "icpc_icpc_date", source.name, line, "conference's date")
            to_plan = self.flag(row, "icpc_icpc_outcome_cp_flag", source.name, line)
            if child is None or held is None:
                continue
            enquiry = self.enquiries.get(row.get("icpc_s47_enquiry_id", ""))
            if enquiry is not None:
                check_icpc_held(
                    self.report,
                    self.policy,
                    start=enquiry[1],
                    icpc=held,
                    file=source.name,
                    where=line,
                    name="icpc_icpc_date",
                )
            plan = self.plans.get(row.get("icpc_cp_plan_id", "")) or next(
                (p for p in self.plans.values() if p.child is child and p.start == held), None
            )
            if plan is not None and plan.start != held:
                self.report.error(
                    source.name,
                    line,
                    "icpc_cp_plan_id",
                    f"The ICPC ({sentence_day(held)}) is given as the one that began a plan that begins "
                    f"{sentence_day(plan.start)} ({plan.file}, {plan.line})",
                )
                continue
            data: dict[str, Any] = {"outcome": "plan" if plan or to_plan else "no_plan"}
            if plan is not None:
                plan.icpcs.append(held)
                if plan.initial:
                    data["categories"] = plan.initial
            child.add(Fact("icpc", held, data, source.name, line, "icpc_icpc_date"))

    def plans_without_icpc(self) -> None:
        """A plan begins at an ICPC: one is imported on its start when none is given."""
        for plan in self.plans.values():
            if plan.icpcs:
                continue
            self.report.warning(
                plan.file,
                plan.line,
                "cppl_cp_plan_start_date",
                f"No ICPC is recorded on the day this plan began ({sentence_day(plan.start)}): it is "
                "imported as an ICPC that day, the decision that began the plan",
            )
            data: dict[str, Any] = {"outcome": "plan"}
            if plan.initial:
                data["categories"] = plan.initial
            plan.child.add(
                Fact("icpc", plan.start, data, plan.file, plan.line, "cppl_cp_plan_start_date")
            )

    def cp_reviews(self, source: Source) -> None:
        for line, row in rows(source):
            held = self.needed(row, "cppr_cp_review_date", source.name, line, "review's date")
            goes_on = self.flag(row, "cppr_cp_review_outcome", source.name, line)
            plan = self.plans.get(row.get("cppr_cp_plan_id", ""))
            if plan is None:
                self.report.error(
                    source.name,
                    line,
                    "cppr_cp_plan_id",
                    f"No plan {row.get('cppr_cp_plan_id', '')!r} is in the ssd_cp_plans table",
                )
                continue
            if held is None:
                continue
            if held < plan.start:
                self.report.error(
                    source.name,
                    line,
                    "cppr_cp_review_date",
                    f"A review conference ({sentence_day(held)}) cannot come before its plan began "
                    f"({sentence_day(plan.start)})",
                )
            elif plan.end is not None and held > plan.end:
                self.report.error(
                    source.name,
                    line,
                    "cppr_cp_review_date",
                    f"A review conference ({sentence_day(held)}) cannot come after its plan ended "
                    f"({sentence_day(plan.end)})",
                )
            elif goes_on is False and plan.end is not None and held != plan.end:
                self.report.error(
                    source.name,
                    line,
                    "cppr_cp_review_outcome",
                    f"This review ended the plan ({sentence_day(held)}), which the plan's table says "
                    f"ended {sentence_day(plan.end)} ({plan.file}, {plan.line})",
                )
            elif plan.end is None or held != plan.end:
                data: dict[str, Any] = {"outcome": "end" if goes_on is False else "continue"}
                if goes_on is not False and plan.latest:
                    data["categories"] = plan.latest
                plan.child.add(Fact("rcpc", held, data, source.name, line, "cppr_cp_review_date"))

    def cla_episodes(self, source: Source) -> None:
        for line, row in rows(source):
            child = self.child(row, "clae_person_id", source.name, line)
            start = self.needed(
                row, "clae_cla_episode_start_date", source.name, line, "episode's start"
            )
            end = self.date(row, "clae_cla_episode_ceased", source.name, line)
            if child is None or start is None:
                continue
            self.episode_ids[row.get("clae_cla_episode_id", "")] = child
            self.episodes.add(
                child,
                Episode(
                    start,
                    end,
                    source.name,
                    line,
                    "clae_cla_episode_start_date",
                    "clae_cla_episode_ceased",
                ),
                self.report,
            )

    def cla_reviews(self, source: Source) -> None:
        for line, row in rows(source):
            held = self.needed(row, "clar_cla_review_date", source.name, line, "review's date")
            cancelled = self.flag(row, "clar_cla_review_cancelled", source.name, line)
            child = self.episode_ids.get(row.get("clar_cla_episode_id", ""))
            if child is None:
                self.report.error(
                    source.name,
                    line,
                    "clar_cla_episode_id",
                    f"No episode {row.get('clar_cla_episode_id', '')!r} is in the "
                    "ssd_cla_episodes table",
                )
                continue
            if held is None or cancelled:
                continue
            self.episodes.review(
                child,
                held,
                row.get("clar_cla_review_participation", ""),
                self.report,
                file=source.name,
                line=line,
                date_field="clar_cla_review_date",
                code_field="clar_cla_review_participation",
            )

    def legal_status(self, source: Source) -> None:
        """Each legal status of the 903 (`LegalStatus`: the code, or the code and its words,
        "C2: Full care order") a `legal_status` on its start, where it changes; read after the
        episodes, to which it belongs (one on a day the child was not looked after is an
        error). The dataset holds other statuses too (special guardianship, private
        fostering): each a warning, not imported."""
        found: list[tuple[Incoming, dt.date, str, str]] = []
        for line, row in rows(source):
            child = self.child(row, "lega_person_id", source.name, line)
            start = self.needed(
                row, "lega_legal_status_start_date", source.name, line, "legal status's start"
            )
            said = row.get("lega_legal_status", "")
            if child is None or start is None:
                continue
            code = re.split(r"[\s:\-]", said, maxsplit=1)[0].upper()
            if code not in LegalStatus.values:
                self.report.warning(
                    source.name,
                    line,
                    "lega_legal_status",
                    f"{said!r} is not a legal status of the 903 (a looked-after child's: "
                    f"{', '.join(LegalStatus.values)}): it is not imported",
                )
            elif self.episodes.looked_after_on(child.reference, start) is not True:
                self.report.error(
                    source.name,
                    line,
                    "lega_legal_status_start_date",
                    f"The child is not looked after on this date ({sentence_day(start)}): a legal "
                    "status of the 903 belongs to an episode of care (ssd_cla_episodes)",
                )
            else:
                found.append((child, start, code, line))
        last: dict[str, str] = {}
        for child, start, code, line in sorted(found, key=lambda f: (f[0].reference, f[1])):
            if last.get(child.reference) != code:
                last[child.reference] = code
                child.add(
                    Fact(
                        "legal_status",
                        start,
                        {"legal_status": code},
                        source.name,
                        line,
                        "lega_legal_status_start_date",
                    )
                )

    def involvements(self, source: Source) -> None:
        for line, row in rows(source):
            child = self.child(row, "invo_person_id", source.name, line)
            start = self.needed(
                row, "invo_involvement_start_date", source.name, line, "involvement's start"
            )
            end = self.date(row, "invo_involvement_end_date", source.name, line)
            said = row.get("invo_professional_role_id", "")
            if child is None or start is None:
                continue
            if said.lower() in IRO_ROLES:
                child.add(
                    Fact(
                        "iro_allocated", start, {}, source.name, line, "invo_involvement_start_date"
                    )
                )
                continue
            role = WORKER_ROLES.get(said.lower())
            if role is None:
                self.report.warning(
                    source.name,
                    line,
                    "invo_professional_role_id",
                    f"{said!r} is not a role Oversight allocates (a social worker, a team "
                    "manager or an IRO): this involvement is not imported",
                )
                continue
            if end is not None and end < start:
                self.report.error(
                    source.name,
                    line,
                    "invo_involvement_end_date",
                    f"The involvement cannot end ({sentence_day(end)}) before it began ({sentence_day(start)})",
                )
                continue
            self.children.involvements.append(
                Involvement(
                    child.reference,
                    role,
                    row.get("invo_professional_id", ""),
                    start,
                    end,
                    source.name,
                    line,
                )
            )


def _table(names: set[str]) -> str | None:
    for name, needs in TABLES:
        if needs <= names:
            return name
    return None


def read(sources: Iterable[Source], *, as_of: dt.date, policy: Policy) -> tuple[Children, Report]:
    """The children of a set of Standard Safeguarding Dataset tables and every problem found."""
    children, report = Children(), Report()
    reader = _Reader(children, report, policy)
    by_table: dict[str, list[Source]] = {name: [] for name, _ in TABLES}
    for source in readable_csvs(sources, report):
        table = _table(columns(source))
        if table is None:
            report.error(
                source.name,
                "line 1",
                "columns",
                "This is not a table of the Standard Safeguarding Dataset that Oversight reads: "
                f"its first line names the columns of none of {', '.join(by_table)}",
            )
            continue
        by_table[table].append(source)
    steps: tuple[tuple[str, Callable[[Source], None]], ...] = (
        ("ssd_person", reader.person),
        ("ssd_s47_enquiry", reader.s47_enquiry),
        ("ssd_cp_plans", reader.cp_plans),
        ("ssd_initial_cp_conference", reader.initial_cp_conference),
        ("ssd_cp_reviews", reader.cp_reviews),
        ("ssd_cla_episodes", reader.cla_episodes),
        ("ssd_cla_reviews", reader.cla_reviews),
        ("ssd_legal_status", reader.legal_status),
        ("ssd_involvements", reader.involvements),
    )
    for table, step in steps:
        for source in by_table[table]:
            step(source)
        if table == "ssd_initial_cp_conference":
            reader.plans_without_icpc()
        elif table == "ssd_cla_episodes":
            reader.episodes.periods(children, report)
    check_children(children, report, as_of=as_of)
    return children, report
