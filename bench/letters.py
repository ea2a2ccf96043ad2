"""Letter rendering throughput: render N debtor letters to PDF and print letters/s.

    .venv/bin/python bench/letters.py --n 50
    .venv/bin/python bench/letters.py --n 20 --country NO --kind demand --invoices 5

Letters cycle through every supported (country, kind, language) unless --country/--kind narrow
it. The first letter is rendered once before timing (template compilation, font discovery).
"""

import argparse
import os
import sys
import time
from pathlib import Path

# Running "python bench/letters.py" puts bench/ first on sys.path, where this file would shadow
# the letters package; put the project root first instead.
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "autocollect.settings")
os.environ.setdefault("AUTOCOLLECT_DEV_MODE", "1")  # a development machine

import django  # noqa: E402

django.setup()

from letters import rendering  # noqa: E402
from letters.context import KINDS_BY_COUNTRY, example_context  # noqa: E402
from letters.rendering import render_letter_html, render_letter_pdf  # noqa: E402
from nordic.countries import country as nordic_country  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=50, help="letters to render (default 50)")
    parser.add_argument("--country", choices=sorted(KINDS_BY_COUNTRY))
    parser.add_argument("--kind")
    parser.add_argument("--invoices", type=int, default=1, help="invoices per letter")
    parser.add_argument(
        "--fresh-fonts",
        action="store_true",
        help="build a new FontConfiguration per letter (to measure what the cache saves)",
    )
    args = parser.parse_args()

    combos = [
        (country, kind, language)
        for country, kinds in KINDS_BY_COUNTRY.items()
        if args.country in (None, country)
        for kind in kinds
        if args.kind in (None, kind)
        for language in (nordic_country(country).language, "en")
    ]
    if not combos:
        parser.error(f"no letter kind {args.kind!r} in {args.country or 'any country'}")
    contexts = [
        example_context(*combos[i % len(combos)], invoices=args.invoices) for i in range(args.n)
    ]

    render_letter_pdf(contexts[0])  # warm-up: templates, fonts

    started = time.perf_counter()
    for ctx in contexts:
        render_letter_html(ctx)
    html_seconds = time.perf_counter() - started

    total_bytes = 0
    started = time.perf_counter()
    for ctx in contexts:
        if args.fresh_fonts:
            rendering._local.font_config = None
        total_bytes += len(render_letter_pdf(ctx))
    seconds = time.perf_counter() - started

    print(
        f"{args.n} letters ({len(combos)} kinds/languages, {args.invoices} invoice(s) each) "
        f"in {seconds:.2f} s: {args.n / seconds:.1f} letters/s, "
        f"{1000 * seconds / args.n:.0f} ms/letter "
        f"(of which HTML {1000 * html_seconds / args.n:.1f} ms), "
        f"avg PDF {total_bytes / args.n / 1024:.0f} KiB"
    )


if __name__ == "__main__":
    main()
