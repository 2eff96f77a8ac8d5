"""`rasa data validate`, failing on every warning but one known false positive.

Rasa 3.6 warns that an utterance "is not used in any story or rule" also when
a form asks with it (utter_ask_<slot>) or a custom action sends it; Rasa's
validator looks only at stories and rules (RasaHQ/rasa#4417); the Rasa
server itself sends one (bot/rasa_server/launcher.py), and the staff app sends the
utter_staff_* texts through Rasa's API (bot/staff/); the service answers
are made in bot/service_replies.py, which actions/services.py sends. The same goes
for a retrieval intent's responses (utter_faq/<topic>), which
actions/services.py sends when the services table cannot be read. And a
retrieval intent listed in the domain (faq, in domain/services.yml), as the
stories need, is reported as "duplicated across multiple domain files": the
importer merges the domain/ files with a domain it derives from the retrieval
intents in the NLU data. We accept that
warning only for responses we can prove are used in one of those two ways;
every other warning fails the check.
"""

from __future__ import annotations

import re
import subprocess

from bot.domain import load_domain
from bot.shared.settings import ROOT
from bot.training import RASA_BIN, quiet_rasa_env

# Intents no one types: EXTERNAL_* come from our own jobs through Rasa's
# trigger_intent API; possible_distress is set by the danger layer
# (bot/rasa_server/danger_detector.py), never trained.
_UNTRAINED_INTENT = re.compile(
    r"The intent '(EXTERNAL_\w+|possible_distress)' is listed in the domain file, but is not found in the NLU"
)
_UNUSED = re.compile(r"The utterance '([^']+)' is not used in any story or rule")
_DUPLICATE_INTENTS = re.compile(r"duplicated intents have been found across multiple domain files: (.+)$")
_WARNING = re.compile(r"(UserWarning: .*|\bWARNING\b.*)")


def responses_used_outside_stories() -> set[str]:
    domain = load_domain()
    form_slots = {slot for form in domain["forms"].values() for slot in form["required_slots"]}
    asked_by_forms = {f"utter_ask_{slot}" for slot in form_slots}
    senders = [
        *(ROOT / "actions").glob("*.py"),
        ROOT / "bot" / "service_replies.py",  # the service answers the actions send
        ROOT / "bot" / "handover.py",  # the on-duty text (utter_on_duty_alert)
        *(ROOT / "bot" / "staff").glob("*.py"),
        *(ROOT / "bot" / "sms").glob("*.py"),  # the STOP/START receipts
        *(ROOT / "bot" / "rasa_server").glob("*.py"),  # the launcher, the action server's faults
        ROOT / "bot" / "shared" / "protocol.py",  # the reminder the SMS side and the reminder job send by name
    ]
    action_code = "\n".join(p.read_text(encoding="utf-8") for p in senders)
    sent_by_actions = set(re.findall(r'"(utter_\w+)"', action_code))
    retrieval_groups = {name.split("/", 1)[0] for name in domain["responses"] if "/" in name}
    return (asked_by_forms | sent_by_actions) & set(domain["responses"]) | retrieval_groups


def retrieval_intents() -> set[str]:
    domain = load_domain()
    return {name.split("/", 1)[0].removeprefix("utter_") for name in domain["responses"] if "/" in name}


def real_warnings(output: str) -> list[str]:
    allowed = responses_used_outside_stories()
    problems = []
    for line in output.splitlines():
        if not _WARNING.search(line):
            continue
        if _UNTRAINED_INTENT.search(line):
            continue
        unused = _UNUSED.search(line)
        if unused and unused.group(1) in allowed:
            continue
        duplicated = _DUPLICATE_INTENTS.search(line.strip())
        if duplicated and set(duplicated.group(1).split(", ")) <= retrieval_intents():
            continue
        problems.append(line.strip())
    return problems


def validate_training_data() -> int:
    result = subprocess.run(
        [str(RASA_BIN), "data", "validate", "--config", "config.yml", "--domain", "domain", "--data", "data"],
        cwd=ROOT,
        env=quiet_rasa_env() | {"PYTHONWARNINGS": "default"},
        capture_output=True,
        text=True,
    )
    output = result.stdout + result.stderr
    problems = real_warnings(output)
    if result.returncode != 0 or problems:
        print(output)
        print("\n".join(["rasa data validate found problems:"] + problems))
        return 1
    print("rasa data validate: no warnings (form prompts and action responses checked against the code)")
    return 0
