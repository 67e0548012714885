"""What the macros say to the reader, per language."""

import re

MESSAGES = {
    "sv": {
        "verified": "Verifierad",
        "output_checked": "Utdata kontrollerad",
        "rendered": "Renderad och kontrollerad",
        "unverified": "Inte verifierad ännu",
        "unverified_hint": "kör `make verify`",
        "illustrative": "Illustrativt exempel – inte verifierat av testsviten",
        "tested_exercise": "Testad: testsviten kör kommandot och letar efter raden ovan",
        "tested_transcript": "Testat: testsviten kör programmen och anropen ovan och kontrollerar svaren",
        "what_ran": "Vad kördes?",
        "checks": "Kontroller",
        "versions": "Versioner",
        "source": "källkod",
        "output_of": "Utdata från",
        "recorded_by_verify": "Utdata från klustret visas när make verify har kört.",
        "rendered_by_verify": "Utdata visas när make verify har kört.",
        "recorded_by_incident": "Utdata från incidentkörningen visas när make verify eller make incident har kört.",
        "exception": "Policyundantag",
        "expect": "I utdata ska du se",
        "no_history": "Ingen historik tillgänglig i den här versionen av webbplatsen.",
        "no_repo_url": "Den här versionen av webbplatsen byggdes utan repots adress (`REPO_URL`): "
                       "klona repot med adressen från dess sida, till exempel på GitHub.",
    },
    "en": {
        "verified": "Verified",
        "output_checked": "Output checked",
        "rendered": "Rendered and checked",
        "unverified": "Not verified yet",
        "unverified_hint": "run `make verify`",
        "illustrative": "Illustrative example – not verified by the test suite",
        "tested_exercise": "Tested: the test suite runs the command and looks for the line above",
        "tested_transcript": "Tested: the test suite runs the programs and calls above and checks the responses",
        "what_ran": "What ran?",
        "checks": "Checks",
        "versions": "Versions",
        "source": "source",
        "output_of": "Output of",
        "recorded_by_verify": "The cluster's output appears once make verify has run.",
        "rendered_by_verify": "The output appears once make verify has run.",
        "recorded_by_incident": "The incident run's output appears once make verify or make incident has run.",
        "exception": "Policy exception",
        "expect": "In the output, look for",
        "no_history": "No history available in this build of the site.",
        "no_repo_url": "This build of the site was made without the repository's address (`REPO_URL`): "
                       "clone the repository with the address from its page, for example on GitHub.",
    },
}

# The words inside a record's checks that are prose, not a command, in the
# reader's language; anything else (commands, tool names) is shown as recorded.
CHECK_WORDS = {
    "sv": [
        (r"\((\d+) values files\)", r"(\1 värdefiler)"),
        (r"\((\d+) values file\)", r"(\1 värdefil)"),
        (r"\bsite rules\b", "webbplatsens regler"),
        (r"^schema Kubernetes\b", "schema för Kubernetes"),
        (r"^policy\b", "policyregler"),
        (r"^Kubernetes ([\d./]+) API server:", r"API-servern i Kubernetes \1:"),
        (r"\bLimitRange defaults\b", "LimitRange-standardvärden"),
        (r"\bagainst Flux's CRDs\b", "mot Flux CRD:er"),
        (r"^on simulated nodes in three zones: rollout without losing ready pods, zone spread, "
         r"one eviction at a time, quota at the HPA maximum plus surge$",
         "på simulerade noder i tre zoner: rollout utan att tappa redo poddar, spridning över "
         "zonerna, en eviction i taget, kvoten vid HPA:ns maximum plus surge"),
        (r"^incident run on PostgreSQL, NATS, the order API, the worker and Prometheus$",
         "incidentkörning med PostgreSQL, NATS, ordertjänsten, workern och Prometheus"),
    ],
    "en": [],
}


def text(language: str, key: str) -> str:
    return MESSAGES[language][key]


def check_in(language: str, check: str) -> str:
    """One entry of a record's checks, as the reader's language says it."""
    for pattern, replacement in CHECK_WORDS[language]:
        check = re.sub(pattern, replacement, check)
    return check
