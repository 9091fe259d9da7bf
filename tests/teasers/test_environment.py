"""The teaser template environment: declarations, filters, caching, errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crosspost.errors import ConfigError
from crosspost.teasers.environment import (
    TeaserEnvironment,
    TemplateError,
    teaser_environment,
    tidy,
)


def _environment(
    tmp_path: Path, source: str, name: str = "x/announce.j2"
) -> TeaserEnvironment:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(source, encoding="utf-8")
    return TeaserEnvironment(tmp_path)


def test_reads_shed_and_hashtag_declarations(tmp_path: Path) -> None:
    """`{# shed: ... #}` and `{# hashtags: N #}` are read from the template."""
    env = _environment(
        tmp_path,
        "{# shed: thoughts, later_sentences #}\n{# hashtags: 2 #}\n{{ title }}\n",
    )
    template = env.template("x", "announce")
    assert template.shed == ("thoughts", "later_sentences")
    assert template.hashtag_count == 2
    assert "title" in template.uses


def test_without_declarations_nothing_is_shed(tmp_path: Path) -> None:
    """A template declaring nothing sheds nothing and takes the default tag count."""
    template = _environment(tmp_path, "{{ title }}").template("x", "announce")
    assert template.shed == ()
    assert template.hashtag_count is None


def test_unknown_shed_step_names_file_and_line(tmp_path: Path) -> None:
    """A misspelt shed step is an error at its line, listing the valid steps."""
    env = _environment(tmp_path, "hello\n{# shed: thougts #}\n")
    with pytest.raises(
        TemplateError, match=r"x/announce\.j2:2: cannot shed thougts"
    ) as info:
        env.template("x", "announce")
    assert "later_sentences" in str(info.value)


def test_bad_hashtag_count_is_an_error(tmp_path: Path) -> None:
    """`hashtags:` must be a whole number."""
    env = _environment(tmp_path, "{# hashtags: many #}")
    with pytest.raises(TemplateError, match="whole number"):
        env.template("x", "announce")


def test_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    """An unclosed tag is reported at its file and line, not as a traceback."""
    env = _environment(tmp_path, "line one\n{% if link %}\n{{ link }\n")
    with pytest.raises(TemplateError, match=r"x/announce\.j2:3") as info:
        env.template("x", "announce")
    assert info.value.line == 3


def test_undefined_name_names_file_and_line(tmp_path: Path) -> None:
    """A misspelt variable fails loudly at its line instead of posting a blank."""
    env = _environment(tmp_path, "New summary:\n\n{{ titel }}\n")
    with pytest.raises(
        TemplateError, match=r"x/announce\.j2:3: UndefinedError: 'titel'"
    ) as info:
        env.template("x", "announce").render({"title": "A study"})
    assert info.value.path is not None
    assert info.value.path.endswith("x/announce.j2")
    assert info.value.line == 3


def test_missing_template_is_an_error(tmp_path: Path) -> None:
    """Asking for a template that does not exist names the expected path."""
    env = _environment(tmp_path, "{{ title }}")
    assert not env.has("x", "recap")
    with pytest.raises(TemplateError, match=r"no template .*x/recap\.j2"):
        env.template("x", "recap")


def test_output_is_plain_text_not_escaped(tmp_path: Path) -> None:
    """Posts are plain text: <, > and & are not turned into HTML entities."""
    env = _environment(tmp_path, "{{ title }}")
    text = env.template("x", "announce").render({"title": "IL-6 <10 pg/mL & falling"})
    assert text == "IL-6 <10 pg/mL & falling"


def test_blocks_and_blank_lines_are_tidied(tmp_path: Path) -> None:
    """Block tags eat their line; runs of blank lines collapse to one."""
    source = "Top\n{% if extra %}\nExtra\n{% endif %}\n\n\n\nEnd   \n"
    text = (
        _environment(tmp_path, source)
        .template("x", "announce")
        .render({"extra": False})
    )
    assert text == "Top\n\nEnd"


def test_tidy_trims_edges() -> None:
    """Leading and trailing blank lines and trailing spaces are removed."""
    assert tidy("\n\na  \n\n\n  b \n\n") == "a\n\n  b"


def test_filters(tmp_path: Path) -> None:
    """first_sentences, hashtags and tracked work from templates."""
    source = (
        "{{ text | first_sentences }}|{{ ['multiple sclerosis', 'myelin'] | hashtags }}"
        "|{{ 'https://example.org/e' | tracked }}"
    )
    env = _environment(tmp_path, source)
    text = env.template("x", "announce").render(
        {
            "text": "It helped. However, not much. It was cheap.",
            "utm": {"utm_source": "x"},
        }
    )
    assert text == (
        "It helped. However, not much.|#MultipleSclerosis #Myelin"
        "|https://example.org/e?utm_source=x"
    )


def test_environment_is_cached_per_folder(tmp_path: Path) -> None:
    """The same folder gives the same environment, so templates compile once."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    assert teaser_environment(tmp_path / "a") is teaser_environment(tmp_path / "a")
    assert teaser_environment(tmp_path / "a") is not teaser_environment(tmp_path / "b")


def test_compiled_template_is_reused(tmp_path: Path) -> None:
    """Asking twice for a template returns the one compiled the first time."""
    env = _environment(tmp_path, "{{ title }}")
    assert env.template("x", "announce") is env.template("x", "announce")


def test_missing_templates_folder_is_a_config_error(tmp_path: Path) -> None:
    """A templates_dir that does not exist says which setting to fix."""
    with pytest.raises(ConfigError, match="templates_dir"):
        teaser_environment(tmp_path / "nowhere")


def _tidy_line_by_line(text: str) -> str:
    lines = [line.rstrip() for line in text.strip().splitlines()]
    kept: list[str] = []
    for line in lines:
        if line or (kept and kept[-1]):
            kept.append(line)
    return "\n".join(kept)


@given(st.text(alphabet="ab \t\n\r\xa0\u2003\u2028\x0b\x85", max_size=30))
def test_tidy_takes_its_shortcut_only_when_nothing_would_change(text: str) -> None:
    """The quick path for already tidy text gives what tidying line by line gives."""
    assert tidy(text) == _tidy_line_by_line(text)
