"""The agreement signed at onboarding is made by the letters' PDF machinery
(letters.rendering.html_to_pdf: the same fonts, the same local-only URL fetcher), handed to
creditors.signing by collection/ since creditors may not import letters."""

import hashlib
import io

import pytest
from pypdf import PdfReader
from weasyprint.urls import FatalURLFetchingError

from creditors import signing
from letters.rendering import html_to_pdf

pytestmark = pytest.mark.django_db


def test_the_agreement_pdf_comes_from_the_shared_renderer_and_is_stable(make_creditor, settings):
    creditor = make_creditor("Fjordvik Rørlegger AS")
    first = signing.agreement_render(creditor, render=html_to_pdf)
    # The checksum shown when signing starts is checked when it completes: same bytes again.
    assert signing.agreement_render(creditor, render=html_to_pdf).pdf == first.pdf
    assert first.sha256 == hashlib.sha256(first.pdf).hexdigest()
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(first.pdf)).pages)
    assert "Fjordvik Rørlegger AS" in text
    assert settings.AUTOCOLLECT_COLLECTOR["NO"]["name"] in text
    # What the creditor signs is exactly the HTML the page shows, through the one entry point.
    assert first.pdf == html_to_pdf(signing.agreement_html(creditor, document=True))


def test_the_shared_renderer_loads_nothing_from_the_network():
    with pytest.raises(FatalURLFetchingError, match="tracker.png") as refused:
        html_to_pdf('<img src="http://127.0.0.1:9/tracker.png">')
    assert "may not load" in str(refused.value.__cause__)
