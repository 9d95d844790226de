"""The translation catalogs: every language complete, nothing fuzzy, every placeholder as in the
English source, and the template in step with the code (README, "Adding a language")."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from slackapp.views.i18n import LANGUAGES, LOCALE_DIR, SOURCE_LOCALE

ROOT = Path(__file__).resolve().parents[2]
TRANSLATED = [language for language in LANGUAGES if language != SOURCE_LOCALE]
# {name}, {name:,}, {name!r}: str.format's fields; %(name)s for completeness.
PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)(?:![rsa])?(?::[^{}]*)?\}|%\([a-z_]+\)[sd]")
MENTION = re.compile(r"<[@#!][^>]*>")


def _catalog(language: str) -> Catalog:
    with (LOCALE_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as source:
        return read_po(source)


def _template() -> Catalog:
    with (LOCALE_DIR / "messages.pot").open("rb") as source:
        return read_po(source)


def _ids(message: Message) -> list[str]:
    return list(message.id) if isinstance(message.id, tuple) else [message.id]


def _strings(message: Message) -> list[str]:
    return list(message.string) if isinstance(message.string, tuple) else [message.string]


def _fields(text: str) -> set[str]:
    return {match.group(0) for match in PLACEHOLDER.finditer(text)}


def problems(catalog: Catalog, template: Catalog) -> list[str]:
    """Everything wrong with one catalog, as lines a translator can act on."""
    found: list[str] = []
    wanted = {m.id if isinstance(m.id, str) else m.id[0] for m in template if m.id}
    have = {m.id if isinstance(m.id, str) else m.id[0]: m for m in catalog if m.id}
    for missing in sorted(wanted - set(have)):
        found.append(f"not in the catalog (run scripts/i18n update): {missing!r}")
    for key, message in have.items():
        if key not in wanted:
            continue  # an obsolete entry left by an update is harmless
        if message.fuzzy:
            found.append(f"fuzzy: {key!r}")
        strings = _strings(message)
        if not all(s and s.strip() for s in strings):
            found.append(f"untranslated: {key!r}")
            continue
        if isinstance(message.id, tuple) and len(strings) != catalog.num_plurals:
            found.append(f"needs {catalog.num_plurals} plural forms: {key!r}")
        source_fields = set().union(*(_fields(i) for i in _ids(message)))
        for string in strings:
            if _fields(string) != source_fields:
                found.append(
                    f"placeholders {sorted(_fields(string))} differ from {sorted(source_fields)}: "
                    f"{key!r}"
                )
            if set(MENTION.findall(string)) != set().union(
                *(MENTION.findall(i) for i in _ids(message))
            ):
                found.append(f"a Slack mention or link differs from the source: {key!r}")
    return found


@pytest.mark.parametrize("language", TRANSLATED)
def test_catalog_is_complete_with_the_sources_placeholders(language: str) -> None:
    found = problems(_catalog(language), _template())
    assert not found, f"{language}: {len(found)} problems\n" + "\n".join(found[:40])


@pytest.mark.parametrize("language", TRANSLATED)
def test_catalog_compiles_and_names_its_language(language: str) -> None:
    catalog = _catalog(language)
    assert str(catalog.locale) == language
    assert catalog.plural_forms, "the header says how this language counts"


def test_the_check_finds_each_kind_of_mistake() -> None:
    """The check itself can fail: a German catalog spoiled in each way is caught."""
    template = _template()
    assert problems(_catalog("de"), template) == []
    spoiled = _catalog("de")
    spoiled["Step {number}"].string = "Schritt {nummer}"  # a renamed placeholder
    spoiled["Accept"].flags.add("fuzzy")
    spoiled["Decline"].string = ""
    plural = next(m for m in spoiled if isinstance(m.id, tuple))
    plural.string = (plural.string[0],)  # a plural form missing
    del spoiled["Give feedback"]
    found = "\n".join(problems(spoiled, template))
    assert "placeholders ['{nummer}'] differ from ['{number}']: 'Step {number}'" in found
    assert "fuzzy: 'Accept'" in found
    assert "untranslated: 'Decline'" in found
    assert "needs 2 plural forms" in found
    assert "not in the catalog (run scripts/i18n update): 'Give feedback'" in found


def test_the_template_is_in_step_with_the_code(tmp_path: Path) -> None:
    """A sentence added in code without `scripts/i18n extract` would never be translated."""
    fresh = tmp_path / "fresh.pot"
    subprocess.run(
        [
            str(Path(sys.executable).with_name("pybabel")),
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_",
            "-k",
            "N_",
            "-k",
            "ngettext:1,2",
            "-k",
            "say:2",
            "-o",
            str(fresh),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with fresh.open("rb") as source:
        code = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(source) if m.id}
    stored = {m.id if isinstance(m.id, str) else m.id[0] for m in _template() if m.id}
    assert code - stored == set(), "run scripts/i18n extract and scripts/i18n update"


@pytest.mark.parametrize("language", TRANSLATED)
def test_setup_compiled_every_catalog(language: str) -> None:
    """scripts/setup compiles the catalogs (setup.py does it for the wheel and the image)."""
    compiled = LOCALE_DIR / language / "LC_MESSAGES" / "messages.mo"
    assert compiled.is_file(), "run scripts/setup (or scripts/i18n compile)"
    assert compiled.stat().st_mtime >= (compiled.with_suffix(".po")).stat().st_mtime - 1


def test_the_image_and_the_wheel_build_the_catalogs() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "COPY setup.py" in dockerfile
    assert "BuildWithCatalogs" in (ROOT / "setup.py").read_text()
    assert "Babel" in (ROOT / "pyproject.toml").read_text().split("[project]")[0]
