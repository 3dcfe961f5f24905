"""Guard against PySide6 builds that mishandle references (6.12.0 does, on Python 3.11).

Qt calls Python slots and overridden virtuals thousands of times a session; a build that drops
one reference to their return value per call aborts the app ("none_dealloc"). Run in a child
process so that a bad build fails this test instead of killing the test run.
"""

from __future__ import annotations

import os
import subprocess
import sys

PROBE = """
from PySide6.QtWidgets import QApplication, QPushButton, QWizard, QWizardPage
app = QApplication([])
button = QPushButton()
button.clicked.connect(lambda checked: None)   # a slot that takes the signal's argument
for _ in range(20_000):
    button.click()
class Page(QWizardPage):
    def isComplete(self):                        # an override returning a bool to C++
        return True
wizard = QWizard(); page = Page(); wizard.addPage(page); wizard.addPage(QWizardPage())
wizard.show()
for _ in range(20_000):
    page.completeChanged.emit()
print("ok")
"""


def test_slots_and_overrides_keep_their_references() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0 and done.stdout.strip() == "ok", (
        "this PySide6 build drops references (see pyproject.toml):\n" + done.stderr[-2000:]
    )
