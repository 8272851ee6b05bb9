"""Is a German page German? The words that only an English text contains.

No Django here: scripts/screenshots.py checks the pages of a running back office with it.
"""

import re

# Words that only an English text contains (not "was": German has it too); a German page
# showing one leaks English. Product names and codes a German office uses as they are
# ("Sendcloud", "Webhook", "API") are allowed.
ENGLISH_WORDS = frozenset(
    """the and with without is are were not yet to of from this that these there which
    delivered cancelled cancellation requested shipment shipments parcel parcels sync synced
    orders waiting pending connected disconnected settings save delete show back none yes
    last seen ago created updated archived failed ready send sent warehouse warehouses
    address addresses carrier carriers invoice invoices returns search nothing next previous
    minutes hours seconds just now linked account keys select choose items load loaded
    running started finished succeeded progress objects pages read retry retrying
    from unknown announced sorted en route driver pickup refund exchange credit open""".split()
)
ALLOWED_WORDS = frozenset({"sendcloud", "webhook", "webhooks", "api", "setup", "english"})


def english_words(page, allowed=()) -> list[str]:
    """English words in the visible text of the page (code, payloads and URLs left out)."""
    text = page.evaluate(
        """() => {
            const body = document.body.cloneNode(true);
            body.querySelectorAll("code, pre, script, style, [translate=no], [lang=en]")
                .forEach(node => node.remove());
            return body.innerText;
        }"""
    )
    allowed_lower = ALLOWED_WORDS | {word.lower() for word in allowed}
    words = re.findall(r"[A-Za-zÄÖÜäöüß]+", text)
    return sorted({w for w in words if w.lower() in ENGLISH_WORDS - allowed_lower})


def assert_german(page, allowed=()) -> None:
    """Fail with the English words found on a page that should be German."""
    found = english_words(page, allowed)
    assert not found, f"English on the German page {page.url}: {found}"
