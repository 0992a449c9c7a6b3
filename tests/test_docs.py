"""The README and the manual in docs/ stay true (issue 18): generated pages equal what
their generators write, the README's runnable commands run, every command, make target,
file and setting they name exists, and no file points outside the repository."""

from __future__ import annotations

import re
import shlex
import subprocess
from pathlib import Path

import click
import pytest

ROOT = Path(__file__).resolve().parents[1]
MANUAL = ROOT / "docs" / "manual"
README = ROOT / "README.md"
DOCUMENTS = [README, *sorted(MANUAL.rglob("*.md"))]
FENCE = re.compile(r"^```([a-z]*)\n(.*?)^```", re.M | re.S)


def _blocks(path: Path) -> list[tuple[str, str, bool]]:
    """(language, body, runnable) of every fenced block; runnable when the line before says so."""
    text = path.read_text(encoding="utf-8")
    found = []
    for match in FENCE.finditer(text):
        before = text[: match.start()].rstrip("\n").splitlines()[-1:] or [""]
        found.append((match.group(1), match.group(2), before[0].startswith("<!-- runnable")))
    return found


def _commands(body: str) -> list[str]:
    """The commands of a shell block: continuation lines joined, comments dropped."""
    joined = re.sub(r"\\\n\s*", " ", body)
    return [line.split("  #")[0].strip() for line in joined.splitlines() if line.strip() and not line.startswith("#")]


def test_the_rules_reference_is_generated_from_the_rule_classes() -> None:
    from procure.docs_rules import render

    assert (MANUAL / "rules.md").read_text(encoding="utf-8") == render(ROOT / "contracts"), \
        "docs/manual/rules.md is stale: run `make rules-doc`"


def test_the_api_reference_is_generated_from_the_app() -> None:
    from procure.docs_api import render_routes, render_schema, schema

    document = schema()
    assert (MANUAL / "openapi.json").read_text(encoding="utf-8") == render_schema(document), \
        "docs/manual/openapi.json is stale: run `make api-doc`"
    assert (MANUAL / "api-routes.md").read_text(encoding="utf-8") == render_routes(document), \
        "docs/manual/api-routes.md is stale: run `make api-doc`"


def test_the_readme_fits_on_a_few_screens() -> None:
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 120
    assert max(len(line) for line in lines) <= 200
    assert sum(len(line) > 100 for line in lines) <= 3  # the one long command, a link or two


def test_the_readme_has_the_two_quickstart_commands() -> None:
    text = README.read_text(encoding="utf-8")
    quickstart = text.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    [(_, body, _)] = _blocks_of(quickstart)
    assert [c.split()[:2] for c in _commands(body)] == [["make", "run"], ["make", "test"]]


def _blocks_of(text: str) -> list[tuple[str, str, bool]]:
    return [(m.group(1), m.group(2), False) for m in FENCE.finditer(text)]


def _runnable() -> list[str]:
    commands = [c for lang, body, runnable in _blocks(README) if runnable for c in _commands(body)]
    assert commands, "the README marks no block as runnable"
    return commands


@pytest.mark.parametrize("command", _runnable())
def test_the_readmes_runnable_commands_run(command: str) -> None:
    result = subprocess.run(["bash", "-c", command], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode in (0, 1), result.stderr  # evaluate exits 1 when a clause is breached
    assert "Traceback" not in result.stderr and result.stdout.strip()


def _make_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"(?m)^([a-z][a-z-]*):", text))


def _named(pattern: str) -> list[tuple[str, str]]:
    """(document, match) for every match of `pattern` in code of the README and the manual."""
    found = []
    for path in DOCUMENTS:
        text = path.read_text(encoding="utf-8")
        prose = FENCE.sub("", text)
        code = "\n".join(body for _, body, _ in _blocks(path)) + "\n" + "\n".join(re.findall(r"`([^`\n]+)`", prose))
        found += [(path.name, m) for m in re.findall(pattern, code)]
    return found


def test_every_make_target_named_exists() -> None:
    targets = _make_targets()
    named = _named(r"(?<![\w-])make ([a-z][a-z-]*)")
    assert named
    assert [(doc, t) for doc, t in named if t not in targets] == []


def test_every_procure_command_named_exists() -> None:
    from procure.cli import cli

    named = _named(r"(?:^|[\s/`(])procure((?: [a-z][a-z-]*)+)")
    assert len(named) > 20
    missing = []
    for doc, words in named:
        command: click.Command = cli
        for word in words.split():
            if not isinstance(command, click.Group):
                break
            sub = command.get_command(click.Context(command), word)
            if sub is None:
                if command is cli:
                    missing.append((doc, words))
                elif isinstance(command, click.Group) and word not in ("…",):
                    missing.append((doc, words))
                break
            command = sub
    assert missing == []


def test_every_linked_file_exists() -> None:
    broken = []
    for path in DOCUMENTS:
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", path.read_text(encoding="utf-8")):
            if "://" in target or target.startswith("mailto:"):
                continue
            if not (path.parent / target).resolve().exists():
                broken.append((path.name, target))
    assert broken == []


def test_every_setting_is_documented() -> None:
    from procure.settings import SETTINGS

    page = (MANUAL / "settings.md").read_text(encoding="utf-8")
    for setting in SETTINGS:
        row = next((line for line in page.splitlines() if line.startswith(f"| `{setting.variable}` |")), None)
        assert row is not None, setting.variable
        if setting.default:
            assert f"`{setting.default}`" in row, setting.variable


# Spelled in pieces, so that this file does not match itself.
OUTSIDE = re.compile("|".join([r"\.\./shared", "shared" + "/", r"SPEC\.md", r"DESIGN\.md", "/wo" + "rk/"]))


def test_no_file_refers_outside_the_repository() -> None:
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    offending = []
    for name in tracked:
        path = ROOT / name
        if path.suffix in (".png", ".pdf", ".xlsx") or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        offending += [f"{name}: {m.group(0)}" for m in OUTSIDE.finditer(text)]
    assert offending == []
