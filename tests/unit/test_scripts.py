"""Script packs: parsing, merge fields, the objection finder and the linter."""

from __future__ import annotations

from pathlib import Path

import pytest

from dialsmile.core.script_lint import lint_text
from dialsmile.core.scripts import (
    bundled_dir,
    find_objections,
    load_script,
    parse_script,
    render,
)
from dialsmile.errors import BadInput, NotFound

PACKS = Path(__file__).parents[1] / "fixtures" / "scripts"


def lint(name: str) -> list[str]:
    path = PACKS / name
    return lint_text(path.read_text(encoding="utf-8"), name).lines()


@pytest.mark.parametrize("pack", sorted(p.name for p in bundled_dir().glob("*.md")))
def test_every_bundled_pack_passes_the_linter_without_warnings(pack: str) -> None:
    path = bundled_dir() / pack
    report = lint_text(path.read_text(encoding="utf-8"), pack)
    assert report.lines() == []
    assert report.script is not None and len(report.script.objections) >= 6


def test_at_least_three_bundled_packs_one_norwegian() -> None:
    packs = {p.stem: load_script(p.stem) for p in bundled_dir().glob("*.md")}
    assert {"saas-discovery", "fa-prospecting", "b2b-norsk"} <= set(packs)
    assert packs["b2b-norsk"].language == "nb"


def test_parse_front_matter_sections_and_objections() -> None:
    script = load_script(str(PACKS / "good.md"))
    assert (script.name, script.version, script.meta["author"]) == ("good", "2", "QA")
    assert [s.title for s in script.section_list] == [
        "Opening", "Pitch", "Discovery questions", "Objections", "Close", "Voicemail", "Intro email",
    ]  # fmt: skip
    assert [(o.prompt, o.line) for o in script.objections] == [
        ("Not interested", 21),
        ("Send me an email", 24),
    ]
    assert script.objections[0].answer == "That's fair. Is it the timing?"
    email = script.intro_email()
    assert email is not None and email.subject == "Hello from {rep_company}"
    assert email.body == "Hi {first_name}, {rep_name} here."


def test_broken_front_matter_names_file_and_line() -> None:
    with pytest.raises(BadInput, match=r"x\.md:3: bad front matter"):
        parse_script('+++\nname = "x"\nversion = \n+++\n# Opening\n', "x.md")
    with pytest.raises(BadInput, match=r"x\.md:1: front matter opened with \+\+\+ is never closed"):
        parse_script('+++\nname = "x"\n# Opening\n', "x.md")


def test_unknown_script_lists_the_ones_there_are() -> None:
    with pytest.raises(NotFound, match="saas-discovery"):
        load_script("nope")


def test_render_fills_fields_and_falls_back_to_words() -> None:
    text = "Hi {first_name} at {company} ({title}) in {city}, {industry}. {rep_name}"
    assert render(text, {"first_name": "Dana", "company": "", "rep_name": "Sam"}) == (
        "Hi Dana at your company (your role) in your area, industry. Sam"
    )


def test_render_does_not_double_a_full_stop_after_a_value_ending_in_one() -> None:
    fields = {"company": "Acme, Inc.", "first_name": "J."}
    assert render("I called {company}. Is it {first_name}?", fields) == (
        "I called Acme, Inc. Is it J.?"
    )
    assert render("At {company}, we...", fields) == "At Acme, Inc., we..."


def test_render_keeps_markup_like_lead_data_literal_and_does_not_refill() -> None:
    fields = {"first_name": "[bold red]Eve[/]", "company": "{first_name} Corp"}
    assert (
        render("Hi {first_name} of {company}", fields) == "Hi [bold red]Eve[/] of {first_name} Corp"
    )


def test_pack_fallbacks_follow_language_and_fields_table() -> None:
    norsk = load_script("b2b-norsk")
    assert norsk.fill("Hei {first_name}! Hos {company}", {}) == "Hei der! Hos dere"
    good = load_script(str(PACKS / "good.md"))
    assert good.fill("in {industry}", {}) == "in your industry"
    assert good.fill("in {Industry}", {"industry": "logistics"}) == "in logistics"


def test_find_objections_by_a_few_letters() -> None:
    script = load_script("saas-discovery")
    assert find_objections(script, "budg")[0].prompt == "We don't have budget"
    assert find_objections(script, "email")[0].prompt == "Send me an email"
    assert find_objections(script, "ntint")[0].prompt == "Not interested"
    assert find_objections(script, "zzzz") == []
    assert len(find_objections(script, "")) == len(script.objections)
    norsk = load_script("b2b-norsk")
    assert find_objections(norsk, "nummer")[0].prompt == "Hvor har du fått nummeret mitt fra?"


def test_linter_reports_each_problem_with_its_line() -> None:
    assert lint("broken.md") == [
        "broken.md:1: missing required section # Discovery questions",
        "broken.md:1: warning: front matter has no author",
        "broken.md:1: warning: no # Voicemail section",
        'broken.md:3: version = 1.1 is read as a number; quote it: version = "..."',
        "broken.md:6: warning: unknown front matter key 'colour'",
        "broken.md:8: Opening must say the company calling: use {rep_company}",
        "broken.md:8: Opening must say that this is a sales call (e.g. 'sales call')",
        "broken.md:12: unknown merge field {companny}; did you mean {company}?",
        "broken.md:12: unknown merge field {industry}; if it is an import column, "
        'declare it under [fields]: industry = "..."',
        'broken.md:18: duplicate objection "not interested!" (first at line 15)',
        'broken.md:21: objection "Send me an email" has an empty answer',
        "broken.md:24: stray brace: merge fields look like {first_name}",
        "broken.md:24: warning: 'guarantee' reads as a promise; say only what you can "
        "stand behind (no guarantees of results or returns)",
        "broken.md:27: Intro email must start with a Subject: line, then the body",
    ]


def test_good_pack_is_clean() -> None:
    assert lint("good.md") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("# Opening\nhi\n", "x.md:1: no front matter"),
        ('+++\nname = "x"\n', "x.md:1: front matter opened with +++ is never closed"),
        ('+++\nname = "x"\nversion = "1"\nname = "y"\n+++\n', "x.md:4: bad front matter"),
        ('+++\nname = "Bad Name"\n+++\n', "x.md:2: name 'Bad Name' must be lower-case"),
        ('+++\nname = "x"\nlanguage = "English"\n+++\n', "x.md:3: language 'English' is not"),
        ('+++\nname = "x"\n+++\n', "x.md:1: front matter has no version"),
        ('+++\nname = "x"\n+++\n# Pitch\n\n# Pitch\nagain\n', "x.md:4: section 'Pitch' is empty"),
        ('+++\nname = "x"\n+++\n# Pitch\na\n# Pitch\nb\n', "x.md:6: duplicate section 'Pitch'"),
        ('+++\nname = "x"\n+++\n# Objections\n', "x.md:4: no objections"),
        (
            '+++\nname = "x"\n+++\n# Pich\na\n',
            "x.md:4: warning: unknown section 'Pich'; did you mean # Pitch?",
        ),
        (
            "+++\n+++\n# Intro email\nSubject: \n\nbody\n",
            "x.md:4: the intro email's Subject: is empty",
        ),
        (
            '+++\nlanguage = "de"\n+++\n# Opening\n{rep_name} {rep_company}\n',
            "x.md:4: warning: cannot check",
        ),
    ],
)
def test_linter_finds_bad_input(text: str, expected: str) -> None:
    lines = lint_text(text, "x.md").lines()
    assert any(line.startswith(expected) for line in lines), lines


def test_norwegian_opening_needs_a_norwegian_disclosure() -> None:
    text = '+++\nname = "x"\nlanguage = "nb"\n+++\n# Opening\nHei, {rep_name} fra {rep_company}.\n'
    assert "x.md:5: Opening must say that this is a sales call (e.g. 'salgssamtale')" in (
        lint_text(text, "x.md").lines()
    )
