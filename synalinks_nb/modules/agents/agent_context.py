"""What an agent reads before it starts: a working directory's ``AGENTS.md`` and Agent Skills.

Synalinks' ``FunctionCallingAgent(workdir=, skills=)``, with the same messages:

- ``workdir``: the root ``AGENTS.md`` (https://agents.md) of an existing directory, its
  text verbatim, becomes a user message at the front of the trajectory;
- ``skills``: root directories holding ``<root>/<name>/SKILL.md`` (https://agentskills.io).
  Each skill's name and description are listed in an ``<available_skills>`` user message
  (by name only: no path is shown to the model), and a ``read_skill(name)`` tool returns a
  skill's whole ``SKILL.md`` when the model asks for it (progressive disclosure).

Both are read once, when the agent is built, and put in front of the trajectory only if
the same message is not there yet, so a trajectory fed back in does not stack copies.

``SKILL.md`` frontmatter is read for its top-level ``name`` and ``description``
(plain, quoted, or ``>``/``|`` block scalars): the subset the listing needs, without a
YAML dependency. A skill whose frontmatter lacks either is skipped, as Synalinks skips
one that does not parse.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from synalinks_nb.errors import ModuleError
from synalinks_nb.modules.core.tool import Tool

__all__ = ["READ_SKILL", "agents_md_message", "discover_skills", "prepend_context",
           "read_skill_tool", "resolve_directories", "skills_message"]

READ_SKILL = "read_skill"
_MAX_SKILL_CHARS = 50_000  # a huge SKILL.md must not flood the context window


def resolve_directories(paths: list[str], option: str) -> list[str]:
    """``paths`` as absolute paths of existing directories.

    Raises:
        ModuleError: a path does not exist or is not a directory.
    """
    resolved = []
    for path in paths:
        full = Path(path).expanduser().resolve()
        if not full.is_dir():
            raise ModuleError(f"Expected {option} to name existing directories. Received: "
                              f"{path!r} ({'not a directory' if full.exists() else 'missing'})")
        resolved.append(str(full))
    return resolved


def agents_md_message(workdir: str | None) -> dict[str, str] | None:
    """The user message carrying ``workdir``'s root ``AGENTS.md``, if it has a non-empty one."""
    if workdir is None:
        return None
    path = Path(workdir) / "AGENTS.md"
    text = path.read_text(encoding="utf-8").strip() if path.is_file() else ""
    return {"role": "user", "content": text} if text else None


def _block(lines: list[str], start: int, style: str) -> str:
    """A ``>`` (folded) or ``|`` (literal) block scalar's text, from its indented lines."""
    body = []
    for line in lines[start:]:
        if line.strip() and not line[:1].isspace():
            break
        body.append(line.strip())
    return ("\n" if style.startswith("|") else " ").join(body).strip()


def _frontmatter(text: str) -> dict[str, str]:
    """The top-level string fields of a ``SKILL.md``'s ``---`` frontmatter."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return {}
    end = next((i for i, line in enumerate(lines[1:], 1) if line.strip() == "---"), None)
    if end is None:
        return {}
    lines = lines[1:end]
    fields: dict[str, str] = {}
    for i, line in enumerate(lines):
        if line[:1].isspace() or ":" not in line or line.lstrip().startswith("#"):
            continue
        key, value = (part.strip() for part in line.split(":", 1))
        if value[:1] in (">", "|"):
            value = _block(lines, i + 1, value)
        elif len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        fields[key] = value
    return fields


def _skill_file(directory: Path) -> Path | None:
    return next((directory / n for n in ("SKILL.md", "skill.md") if (directory / n).is_file()),
                None)


def discover_skills(roots: list[str]) -> dict[str, tuple[Path, str]]:
    """Skills under ``roots`` by name: their ``SKILL.md`` and description (first root wins)."""
    found: dict[str, tuple[Path, str]] = {}
    for root in roots:
        for directory in sorted(Path(root).iterdir()):
            path = _skill_file(directory) if directory.is_dir() else None
            if path is None or directory.name in found:
                continue
            fields = _frontmatter(path.read_text(encoding="utf-8", errors="replace"))
            if fields.get("name") and fields.get("description"):
                found[directory.name] = (path, fields["description"])
    return dict(sorted(found.items()))


def skills_message(roots: list[str]) -> dict[str, str] | None:
    """The ``<available_skills>`` user message (names and descriptions), if any skill exists.

    Example:
        >>> import tempfile, pathlib
        >>> root = pathlib.Path(tempfile.mkdtemp())
        >>> (root / "haiku").mkdir()
        >>> _ = (root / "haiku" / "SKILL.md").write_text(
        ...     "---\\nname: haiku\\ndescription: Write a haiku.\\n---\\nThree lines.")
        >>> print(skills_message([str(root)])["content"])
        <available_skills>
        <skill>
        <name>
        haiku
        </name>
        <description>
        Write a haiku.
        </description>
        </skill>
        </available_skills>
    """
    skills = discover_skills(roots)
    if not skills:
        return None
    lines = ["<available_skills>"]
    for name, (_, description) in skills.items():
        lines += ["<skill>", "<name>", html.escape(name), "</name>", "<description>",
                  html.escape(description), "</description>", "</skill>"]
    lines.append("</available_skills>")
    return {"role": "user", "content": "\n".join(lines)}


def read_skill_tool(roots: list[str]) -> Tool:
    """The ``read_skill(name)`` tool: a skill's whole ``SKILL.md``, or the names there are."""

    async def read_skill(name: str) -> dict[str, Any]:
        """Read an installed Agent Skill's full instructions.

        The available skills (name and description) are listed in the <available_skills>
        block of your context; read a skill before following it.

        Args:
            name: the skill's name from <available_skills>.
        """
        skills = discover_skills(roots)  # read now: a skill edited since still reads right
        found = skills.get((name or "").strip())
        if found is None:  # an observation, not an exception: a wrong guess costs one step
            return {"error": f"Unknown skill {name!r}.", "available_skills": sorted(skills)}
        content = found[0].read_text(encoding="utf-8", errors="replace")
        report: dict[str, Any] = {"skill": (name or "").strip()}
        if len(content) > _MAX_SKILL_CHARS:
            report["note"] = (f"Truncated to the first {_MAX_SKILL_CHARS} of {len(content)} "
                              "characters.")
            content = content[:_MAX_SKILL_CHARS]
        report["content"] = content
        return report

    return Tool(read_skill, name=READ_SKILL)


def prepend_context(messages: list[dict[str, Any]], *context: dict[str, str] | None
                    ) -> list[dict[str, Any]]:
    """``messages`` with each context message in front, unless the same one is there.

    The last one given ends up first (Synalinks puts ``AGENTS.md`` before the skills).
    """
    out = list(messages)
    for message in context:
        if message is not None and not any(
                m.get("role") == message["role"] and m.get("content") == message["content"]
                for m in out):
            out.insert(0, dict(message))
    return out
