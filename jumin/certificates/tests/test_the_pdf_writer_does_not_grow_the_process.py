"""Writing certificate PDFs does not grow a worker (issue #15 item 12): a worker writes thousands a day for days.
uharfbuzz 0.51 leaked native memory on every further access of a subset input's set (once per glyph, ≈ 10 KB a
certificate), which no Python-level cache bound could show. Measured as the process's anonymous RSS in a child
process with glibc's mmap threshold fixed (so that malloc's own adaptation does not move the figure)."""

import os
import subprocess
import sys

from django.conf import settings

CHILD = """
import os, django
django.setup()
from jumin.certificates import form

def anonymous_kb():
    for line in open("/proc/self/status"):
        if line.startswith("RssAnon:"):
            return int(line.split()[1])

text = "住民票の写し 宮城県仙台市青葉区一番町四丁目7番17号 佐藤 一人 昭和60年1月1日 世帯主 令和6年4月1日"
for i in range(200):
    form.text_pdf(text, 10.0)
before = anonymous_kb()
for i in range(2000):
    form.text_pdf(text, 10.0)
print(anonymous_kb() - before)
"""


def test_two_thousand_pdfs_leave_the_process_as_large_as_it_was():
    env = dict(os.environ, MALLOC_MMAP_THRESHOLD_="131072", DJANGO_SETTINGS_MODULE="jumin.settings")
    run = subprocess.run([sys.executable, "-c", CHILD], env=env, cwd=settings.BASE_DIR, capture_output=True,
                         text=True, check=True)
    grown_kb = int(run.stdout.strip().splitlines()[-1])
    # before the fix: ≈ 4 KB a PDF for this line's ≈ 40 glyphs, 8 MB over 2,000 (measured)
    assert grown_kb < 1024, f"the process grew {grown_kb} KB over 2,000 PDFs"
