"""What the macros say to the reader, per language."""

MESSAGES = {
    "sv": {
        "verified": "Verifierad",
        "unverified": "Inte verifierad ännu",
        "unverified_hint": "kör `make verify`",
        "illustrative": "Illustrativt exempel – inte verifierat av testsviten",
        "source": "källkod",
        "output_of": "Utdata från",
        "recorded_by_verify": "Utdata från klustret visas när make verify har kört.",
        "exception": "Policyundantag",
        "expect": "I utdata ska du se",
        "no_history": "Ingen historik tillgänglig i den här versionen av webbplatsen.",
    },
    "en": {
        "verified": "Verified",
        "unverified": "Not verified yet",
        "unverified_hint": "run `make verify`",
        "illustrative": "Illustrative example – not verified by the test suite",
        "source": "source",
        "output_of": "Output of",
        "recorded_by_verify": "The cluster's output appears once make verify has run.",
        "exception": "Policy exception",
        "expect": "In the output, look for",
        "no_history": "No history available in this build of the site.",
    },
}


def text(language: str, key: str) -> str:
    return MESSAGES[language][key]
