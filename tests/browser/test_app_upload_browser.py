"""Hostile uploads and shipped names in a real browser (issue 13): a message, never a traceback.

Each bad file of issue 13 is dropped on the app's upload control (solara's FileDrop) of one
``alliance app`` server and one page; each must show a visible message that names the uploaded
file and the field (or the line, where the file has no field to blame), while nothing on the page
shows a traceback or a path on the server, the page keeps working and nothing is stored. A good
file dropped afterwards is stored, so the control demonstrably reaches the server. Saving under a
shipped scenario's name is refused with a visible message and writes nothing.

Chromium gives a script-made drop no file-system entry (``webkitGetAsEntry()`` returns null; only
a drag from the desktop has one), so an init script supplies the entry a desktop drag would have:
the file itself, read by the FileDrop exactly as a dragged file is. Everything after the drop —
the chunked transfer over the websocket, the server's checks, the message — is the app's own.
"""

from __future__ import annotations

import base64
import sys
from pathlib import Path

import pytest
import test_app_browser as app_tests  # its module-scoped fixtures give this module its own server

from alliance.app.files import MAX_UPLOAD_BYTES

CHROMIUM, CHROMIUM_ARGS, IN_VIEW = app_tests.CHROMIUM, app_tests.CHROMIUM_ARGS, app_tests.IN_VIEW
pick_scenario, wait_ready = app_tests.pick_scenario, app_tests.wait_ready
playwright_api, server = app_tests.playwright_api, app_tests.server
screenshot_on_failure = app_tests.screenshot_on_failure

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
HEAD = b"name: hostile_upload\ndescription: a hostile upload for the browser test\n"
DROP_ENTRY = """(() => {
  const native = DataTransferItem.prototype.webkitGetAsEntry;
  DataTransferItem.prototype.webkitGetAsEntry = function () {
    const entry = native.call(this);
    if (entry !== null || this.kind !== 'file') return entry;
    const file = this.getAsFile();
    return {isFile: true, isDirectory: false, name: file.name, file: (ok) => ok(file)};
  };
})();"""
DROP = """([name, b64]) => {
  const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
  const dt = new DataTransfer();
  dt.items.add(new File([bytes], name, {type: 'application/x-yaml'}));
  document.querySelector('.solara-file-drop').dispatchEvent(
      new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}));
}"""

# file name → (content, fragments the message must hold besides the file name)
BAD_FILES: dict[str, tuple[bytes, tuple[str, ...]]] = {
    "extends_etc_passwd.yaml": (HEAD + b"extends: /etc/passwd\n", ("'extends'", "shipped scenario")),
    "extends_glob.yaml": (HEAD + b"extends: '*'\n", ("'extends'", "shipped scenario")),
    "extends_server_path.yaml": (HEAD + b"extends: ../scenarios/baseline.yaml\n", ("'extends'",)),
    "huge_integer.yaml": (HEAD + b"seed: " + b"9" * 5000 + b"\n", ("line 3", "field 'seed'", "too large")),
    "int_tag_on_text.yaml": (HEAD + b"seed: !!int abc\n", ("line 3", "field 'seed'", "!!int")),
    "malformed.yaml": (HEAD + b"actors:\n  hegemon: {threshold: [0.5, 0.6\n", ("line", "malformed YAML")),
    "misspelt_key.yaml": (HEAD + b"extends: baseline\nactors:\n  hegemon:\n    threshold: {economc: 0.5}\n",
                          ("line 6", "field 'actors.hegemon.threshold.economc'", "unknown key")),
    "out_of_range.yaml": (HEAD + b"extends: baseline\nactors:\n  hegemon:\n    threshold: {economic: 1.5}\n",
                          ("line 6", "field 'actors.hegemon.threshold.economic'", "less than or equal to 1")),
    "not_a_number.yaml": (HEAD + b"extends: baseline\nactors:\n  hegemon:\n    noise_sd: .nan\n",
                          ("line 6", "field 'actors.hegemon.noise_sd'", "not a finite number")),
    "latin1.yaml": (HEAD + b"events: []  # caf\xe9\n", ("line 3", "not UTF-8")),
    "over_size.yaml": (HEAD + b"# " + b"x" * MAX_UPLOAD_BYTES + b"\n", (f"{MAX_UPLOAD_BYTES:,} bytes",)),
}
GOOD = b"name: good_upload\ndescription: a good upload\nextends: energy_support_forced\nseed: 7\n"


@pytest.fixture(scope="module")
def page(playwright_api, server):  # this module's page, with the drop entry
    browser = playwright_api.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    pg = browser.new_page(viewport={"width": 1500, "height": 1200})
    pg.set_default_timeout(60_000)
    pg.add_init_script(DROP_ENTRY)
    pg.goto(server["url"])
    pg.wait_for_function("document.querySelectorAll('.js-plotly-plot').length >= 4", timeout=90_000)
    pg.wait_for_selector(".status.ready", timeout=60_000)
    yield pg
    browser.close()


def drop(pg, name: str, data: bytes) -> str:
    """Drop ``data`` as file ``name`` on the upload control; the visible message that names it."""
    pg.locator(".solara-file-drop").scroll_into_view_if_needed()
    pg.evaluate(DROP, [name, base64.b64encode(data).decode()])
    msg = pg.locator(".app-message", has_text=name)
    msg.wait_for(timeout=30_000)
    pg.wait_for_function(IN_VIEW, arg=msg.element_handle(), timeout=5_000)
    return msg.inner_text()


def _server_paths() -> list[str]:
    return [str(ROOT), str(ROOT / "scenarios"), sys.prefix, "site-packages", "root:x:", "/etc/passwd"]


def _no_leak(pg, server) -> None:
    body = pg.evaluate("document.body.innerText")
    assert "Traceback" not in body
    assert 'File "' not in body
    for s in _server_paths():
        assert s not in body, s


def test_each_bad_upload_shows_a_message_naming_the_field_and_no_traceback(page, server):
    wait_ready(page)
    _no_leak(page, server)
    shown = {}
    for name, (data, fragments) in BAD_FILES.items():
        text = drop(page, name, data)
        shown[name] = text
        assert all(f in text for f in fragments), (name, text)
        assert "error" in page.locator(".app-message", has_text=name).get_attribute("class"), name
        _no_leak(page, server)
        assert str(server["user_dir"]) not in text  # the message names the upload only
    assert len(shown) == 11
    assert [p for p in server["user_dir"].rglob("*") if p.is_file()] == []  # nothing stored
    # the page still works, and the same control takes a good file
    assert page.locator(".js-plotly-plot").count() >= 4
    text = drop(page, "good.yaml", GOOD)
    assert "uploaded good.yaml as good_upload.yaml" in text
    assert (server["user_dir"] / "good_upload.yaml").exists()
    _no_leak(page, server)


@pytest.mark.parametrize("shipped", ["baseline", "riga_expansion"])
def test_saving_under_a_shipped_name_is_refused_with_a_visible_message(page, server, shipped):
    pick_scenario(page, "baseline")  # the case: "save as baseline" while tuning baseline
    wait_ready(page)
    before = sorted(p.name for p in server["user_dir"].iterdir())
    name_box = page.locator(".save-name input")
    name_box.fill(shipped)
    page.locator("button.save-button").click()
    msg = page.locator(".app-message", has_text=f"'{shipped}' is the name of a shipped scenario")
    msg.wait_for(timeout=20_000)  # (the message of the previous case names another scenario)
    page.wait_for_function(IN_VIEW, arg=msg.element_handle(), timeout=5_000)
    assert "error" in msg.get_attribute("class")
    assert sorted(p.name for p in server["user_dir"].iterdir()) == before
    assert not (server["user_dir"] / f"{shipped}.yaml").exists()
