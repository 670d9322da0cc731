"""``FunctionCallingAgent(workdir=, skills=, top_k=)``: AGENTS.md, Agent Skills, sampling."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import synalinks_nb as sn
from tests.modules.test_agents import Answer, Query, calculate

SKILL = ("---\nname: pirate\ndescription: >\n  Answer like a\n  pirate.\nlicense: MIT\n"
         "metadata:\n  author: me\n---\nSay arr.\n")
LISTING = ("<available_skills>\n<skill>\n<name>\npirate\n</name>\n<description>\n"
           "Answer like a pirate.\n</description>\n</skill>\n</available_skills>")


def project(tmp_path: Path) -> tuple[Path, Path]:
    workdir, skills = tmp_path / "project", tmp_path / "skills"
    (skills / "pirate").mkdir(parents=True)
    (skills / "pirate" / "SKILL.md").write_text(SKILL)
    (skills / "broken").mkdir()
    (skills / "broken" / "SKILL.md").write_text("no frontmatter")  # skipped, as in Synalinks
    workdir.mkdir()
    (workdir / "AGENTS.md").write_text("\nAlways show your work.\n")
    return workdir, skills


def step(*calls: dict[str, Any]) -> dict[str, Any]:
    return {"thinking": "", "tool_calls": list(calls)}


async def test_agents_md_and_the_skill_listing_open_the_trajectory_and_read_skill_works(
        tmp_path: Path) -> None:
    workdir, skills = project(tmp_path)
    lm = sn.ScriptedLanguageModel(responses=[
        step({"name": "read_skill", "arguments": {"name": "pirate"}}),
        step({"name": "read_skill", "arguments": {"name": "ninja"}}), step(),
        {"answer": 1.0}])
    agent = sn.FunctionCallingAgent(data_model=Answer, tools=[calculate], language_model=lm,
                                    workdir=str(workdir), skills=[str(skills)], top_k=7)
    result = await agent(Query(query="1?"))
    assert result["messages"][:2] == [{"role": "user", "content": "Always show your work."},
                                      {"role": "user", "content": LISTING}]
    sent = [m["content"] for m in lm.calls[0].messages]
    assert "Always show your work." in sent and LISTING in sent
    read, unknown = result["messages"][3]["content"], result["messages"][5]["content"]
    assert read == {"skill": "pirate", "content": SKILL}
    assert unknown == {"error": "Unknown skill 'ninja'.", "available_skills": ["pirate"]}
    assert {call.kwargs.get("top_k") for call in lm.calls} == {7}


async def test_a_returned_trajectory_fed_back_does_not_repeat_the_context(tmp_path: Path) -> None:
    workdir, _ = project(tmp_path)
    lm = sn.ScriptedLanguageModel(responses=[step(), {"role": "assistant", "content": "ok"}] * 2)
    agent = sn.FunctionCallingAgent(tools=[calculate], language_model=lm, autonomous=False,
                                    workdir=str(workdir))
    first = await agent(sn.ChatMessages(messages=[{"role": "user", "content": "hi"}]))
    again = await agent(first)
    contents = [m["content"] for m in again.get_json()["messages"]]
    assert contents.count("Always show your work.") == 1


async def test_skills_alone_are_enough_tools_and_a_users_read_skill_wins(tmp_path: Path) -> None:
    _, skills = project(tmp_path)

    async def read_skill(name: str) -> dict[str, str]:
        """Read a skill.

        Args:
            name: the skill.
        """
        return {"mine": name}

    only_skills = sn.FunctionCallingAgent(skills=[str(skills)])
    assert list(only_skills.tools) == ["read_skill"]
    mine = sn.FunctionCallingAgent(tools=[read_skill], skills=[str(skills)])
    assert mine.tools["read_skill"].fn is read_skill


async def test_a_saved_agent_keeps_its_directories_and_rebuilds_read_skill(tmp_path: Path) -> None:
    workdir, skills = project(tmp_path)
    agent = sn.FunctionCallingAgent(tools=[calculate], workdir=str(workdir),
                                    skills=[str(skills)], top_k=3)
    config = agent.get_config()
    assert (config["tools"], config["top_k"]) == (["calculate"], 3)
    assert (config["workdir"], config["skills"]) == (str(workdir), [str(skills)])
    restored = sn.FunctionCallingAgent.from_config(config, custom_objects={
        "calculate": calculate})
    assert sorted(restored.tools) == ["calculate", "read_skill"]
    assert restored.get_config() == config
