"""`mediatui doctor` attacked: hostile servers, a hostile environment and hostile local files; everything it says
stays inert, the token never shows, it answers within its budget, and changes nothing."""

from __future__ import annotations

import json
import os
import re
import time

import pytest

from hostile_server import NASTY, HostileServer, send, send_json
from mediatui import cli
from mediatui.community import doctor

TOKEN = "sandbox-token-0123456789"
_ACTING = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = cli.main(["doctor", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def inert_everywhere(capsys, *, token: str = TOKEN) -> tuple[str, dict]:
    """The text report and the JSON one: no control that acts, no token, valid JSON on stdout alone."""
    code, out, err = run(capsys)
    assert not _ACTING.search(out + err), (out + err)[:2000]
    assert token not in out + err
    jcode, jout, jerr = run(capsys, "--json")
    assert jcode == code and jout.endswith("\n") and jout.count("\n") == 1
    report = json.loads(jout)
    assert not _ACTING.search(jout + jerr)
    assert token not in jout + jerr and token not in json.dumps(report, ensure_ascii=False)
    return out, report


@pytest.fixture
def community(healthy):
    """Start a hostile community answering the media list with `answer`; MEDIATUI_URL is its URL (and `path`),
    MEDIATUI_TOKEN is TOKEN. Stopped after the test."""
    servers: list[HostileServer] = []

    def start(answer, path: str = "") -> HostileServer:
        server = HostileServer().__enter__()
        servers.append(server)
        server.route("GET", "/api/v2/media/", answer)
        healthy.setenv("MEDIATUI_URL", server.url + path)
        healthy.setenv("MEDIATUI_TOKEN", TOKEN)
        return server

    yield start
    for server in servers:
        server.__exit__()


def empty_page(handler) -> None:
    send_json(handler, 200, {"count": 0, "next": None, "previous": None, "results": []})


# -- the token never shows ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [f"/?access_token={TOKEN}", f"/#{TOKEN}", f"/{TOKEN}/", f"/{'x' * 80}?t={TOKEN}"])
def test_a_token_in_the_url_is_never_printed(community, capsys, path):
    """Someone pasted the community's address with the token in it: the report names the community without it."""
    community(empty_page, path)
    out, _ = inert_everywhere(capsys)
    assert "community: " in out and TOKEN[:10] not in out  # not even the start of one the line cut


# -- a hostile environment ------------------------------------------------------------------------------------------

ESCAPES = "\x1b]0;T\x07\x1b]52;c;ZXZpbA==\x07\x1b[2J\x9b31m\u202eevil[b]x[/b][@click=app.quit]q[/]"


@pytest.mark.parametrize("name", ["COLUMNS", "LINES"])
def test_a_size_of_thousands_of_digits_is_no_traceback(healthy, community, capsys, name):
    """Rich reads COLUMNS and LINES with int(), which refuses more than 4300 digits (ValueError)."""
    community(empty_page)
    healthy.setenv(name, "9" * 5000)
    code, out, _ = run(capsys)
    assert code == 0 and "OK  terminal: xterm-256color, truecolor, UTF-8, size unknown" in out


def fake_tmux(tmp_path, monkeypatch, body: str) -> None:
    """A `tmux` first on PATH running the shell `body`, inside tmux."""
    folder = tmp_path / "bin"
    folder.mkdir(exist_ok=True)
    (folder / "tmux").write_text("#!/bin/sh\n" + body)
    (folder / "tmux").chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("TMUX", "/tmp/tmux-0/default,1234,0")


def test_a_tmux_that_floods_its_output_is_read_only_so_far(healthy, community, capsys, tmp_path):
    """A `tmux` printing without end: its first KB are read, not 2 GB in 2 s (measured before: 2 GB resident)."""
    import tracemalloc

    community(empty_page)
    fake_tmux(tmp_path, healthy, "head -c 100000000 /dev/zero | tr '\\0' o\n")
    tracemalloc.start()
    try:
        start = time.monotonic()
        code, out, _ = run(capsys)
        took, peak = time.monotonic() - start, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20_000_000 and took < 5
    assert code == 1 and "!!  tmux: inside tmux, but its options could not be read (tmux printed more than 8 KB)" in out


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("echo on; echo 'evil \\033]0;T\\007' >&2; exit 1\n", "tmux exited with status 1"),
        ("sleep 30 & echo on\n", None),  # a child left behind holding the output: tmux itself has answered
    ],
)
def test_a_tmux_that_fails_or_leaves_a_child(healthy, community, capsys, tmp_path, body, reason):
    community(empty_page)
    fake_tmux(tmp_path, healthy, body)
    start = time.monotonic()
    code, out, err = run(capsys)
    assert time.monotonic() - start < 3 and not _ACTING.search(out + err)
    if reason is None:
        assert code == 0 and "OK  tmux: set-clipboard on, allow-passthrough on" in out
    else:
        assert code == 1 and f"!!  tmux: inside tmux, but its options could not be read ({reason})" in out


# -- hostile config files ------------------------------------------------------------------------------------------


def write_config(tmp_path, text: str) -> None:
    config = tmp_path / "config" / "config.toml"
    config.parent.mkdir(exist_ok=True)
    config.write_text(text)
    config.chmod(0o600)


@pytest.mark.parametrize(
    ("line", "secret"),
    [
        ("token = 123456789012345678", "123456789012345678"),  # a numeric token, quotes forgotten
        (f'token = ["{TOKEN}"]', TOKEN),
        ('url = ["https://moderator:hunter2pass@community.example"]', "hunter2pass"),
        ("url = 1234567890", None),  # no secret: still the kind of value, not the value
    ],
)
def test_a_token_or_url_of_the_wrong_type_is_not_quoted(healthy, capsys, tmp_path, line, secret):
    """A type error names the key and what it should be, never the value of a token or a URL."""
    write_config(tmp_path, f"[profiles.team]\n{line}\n")
    out, report = inert_everywhere(capsys, token=secret or "1234567890")
    assert "!!  config: " in out and "must be a string in quotes, not a whole number" in out or "not a list" in out
    assert report["ok"] is False


@pytest.mark.parametrize(
    "text", ["a = " + "[" * 100_000 + "]" * 100_000, "a = " + "{b = " * 50_000 + "}" * 50_000], ids=["arrays", "tables"]
)
def test_a_config_nested_too_deep_is_a_line_not_a_traceback(healthy, capsys, tmp_path, text):
    """tomllib reads nesting by recursion: 100,000 levels raised RecursionError through every verb."""
    write_config(tmp_path, text + "\n")
    out, report = inert_everywhere(capsys)
    assert "!!  config: " in out and "nested too deeply" in out and report["ok"] is False
    assert cli.main(["list"]) == 2 and "nested too deeply" in capsys.readouterr().err


# -- hostile local files --------------------------------------------------------------------------------------------


def within(seconds: float, call, unblock=lambda: None):
    """`call()` on a thread, its result; a failure of the test when it is still running after `seconds` (then
    `unblock()` lets the thread end)."""
    import threading

    result: list = []
    thread = threading.Thread(target=lambda: result.append(call()), daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        unblock()
        pytest.fail(f"still running after {seconds} s")
    assert result, "it raised (see the thread's exception above)"
    return result[0]


def test_a_journal_that_is_a_fifo_is_said_not_waited_for(community, capsys):
    """SQLite opens its file with a blocking open(): a FIFO in the journal's place held doctor forever."""
    from mediatui.api.client import normalize_base_url
    from mediatui.upload.journal import journal_path

    server = community(empty_page)
    journal = journal_path(normalize_base_url(server.url))
    journal.parent.mkdir(parents=True)
    os.mkfifo(journal)

    def unblock() -> None:
        os.close(os.open(journal, os.O_WRONLY | os.O_NONBLOCK))

    code, out, _ = within(doctor.BUDGET, lambda: run(capsys), unblock)
    assert code == 1 and f"!!  state folder: the upload journal: cannot use {journal}: not a regular file" in out


@pytest.mark.parametrize("record", ["deep", "fifo", "sparse", "zero"])
def test_a_trash_record_that_is_hostile_is_skipped(healthy, community, capsys, record):
    """A damaged record is skipped: nested 100,000 deep (it raised RecursionError), a FIFO (its read waited
    forever), 200 MB of zeros (read whole), /dev/zero (without end)."""
    import tracemalloc

    from mediatui.api.client import normalize_base_url
    from mediatui.community.trash import Trash

    server = community(empty_page)
    healthy.setenv("MEDIATUI_TRASH_MB", "10")
    folder = Trash.for_server(normalize_base_url(server.url), 10).folder
    folder.mkdir(parents=True)
    meta = folder / "7-20260101T000000000000-000001.json"
    if record == "deep":
        meta.write_text("[" * 100_000 + "]" * 100_000)
    elif record == "fifo":
        os.mkfifo(meta)
    elif record == "sparse":
        with meta.open("wb") as out:
            out.truncate(200_000_000)
    else:
        meta.symlink_to("/dev/zero")

    def unblock() -> None:
        if record == "fifo":
            os.close(os.open(meta, os.O_WRONLY | os.O_NONBLOCK))

    tracemalloc.start()
    try:
        code, out, _ = within(doctor.BUDGET, lambda: run(capsys), unblock)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert code == 0 and "the trash holds 0 files, 0 Bytes of 10 MB" in out and peak < 20_000_000


@pytest.mark.parametrize("folder", ["data", "state"])
def test_a_folder_on_a_hung_mount_is_said_within_15_s(community, capsys, hung_mount, folder):
    community(empty_page)
    path = hung_mount(folder)
    start = time.monotonic()
    code, out, _ = within(doctor.BUDGET + 1, lambda: run(capsys))
    assert time.monotonic() - start < doctor.BUDGET + 0.5
    assert code == 1 and f"!!  {folder} folder: {path}: no answer within " in out
    assert "  community: " in out and "OK  token: " in out  # the rest of the report is made (a loaded
    # machine may make the community's line "slow": its OK is not what this asserts)


def test_a_config_on_a_hung_mount_is_said_within_15_s(community, capsys, hung_mount):
    community(empty_page)
    path = hung_mount("config")
    start = time.monotonic()
    code, out, _ = within(doctor.BUDGET + 1, lambda: run(capsys))
    assert time.monotonic() - start < doctor.BUDGET + 0.5
    assert code == 1 and f"!!  config: {path}/config.toml: no answer within " in out
    assert "  community: " in out and "OK  token: from MEDIATUI_TOKEN" in out


@pytest.mark.parametrize("where", ["data", "data/inner"])
def test_a_folder_that_is_a_link_to_nowhere_is_not_said_ok(healthy, community, capsys, tmp_path, where):
    """mkdir cannot make a folder where a link to nothing stands (FileExistsError): doctor said 'made at first
    use, writable' for it, and for a folder under it."""
    community(empty_page)
    (tmp_path / "data").symlink_to(tmp_path / "gone")
    healthy.setenv("MEDIATUI_DATA_DIR", str(tmp_path / where))
    code, out, _ = run(capsys)
    assert code == 1 and f"!!  data folder: {tmp_path}/data is a link to {tmp_path}/gone, which does not exist" in out
    assert "move it away, or set MEDIATUI_DATA_DIR to another folder" in out


def test_json_is_cut_as_the_lines_are(healthy, capsys):
    """A URL of a million characters: each line is cut at 600, and the JSON was not (a megabyte)."""
    healthy.setenv("MEDIATUI_URL", "https://" + "a" * 1_000_000)
    healthy.setenv("MEDIATUI_TOKEN", TOKEN)
    out, report = inert_everywhere(capsys)
    assert max(map(len, out.splitlines())) <= 600
    assert all(len(c["said"]) <= 600 and len(c["fix"] or "") <= 600 for c in report["checks"])


# -- hostile communities -----------------------------------------------------------------------------------------


def echo_the_token(handler) -> None:
    """A 500 page quoting the request's Authorization header, raw and HTML-escaped, and terminal sequences."""
    auth = handler.headers.get("Authorization", "")
    body = f"<html><h1>{auth} {auth.split()[-1]} {NASTY}</h1>[b]x[/b][@click=app.quit]q[/]</html>"
    send(handler, 500, body, "text/html", headers={"X-Echo": auth})


HOSTILE_ANSWERS = {
    "500 echoing the token": echo_the_token,
    "401 echoing the token": lambda h: send_json(h, 401, {"detail": f"{h.headers.get('Authorization')} {NASTY}"}),
    "403": lambda h: send_json(h, 403, {"detail": NASTY}),
    "502 html": lambda h: send(h, 502, f"<html>{NASTY}</html>" * 1000, "text/html"),
    "not json": lambda h: send(h, 200, "{not json" + NASTY, "text/html"),
    "json 100,000 deep": lambda h: send(h, 200, "[" * 100_000 + "]" * 100_000),
    "hostile fields": lambda h: send_json(h, 200, {"count": NASTY, "results": [{"id": 1, "title": NASTY}]}),
    "a count of 400 digits": lambda h: send_json(h, 200, {"count": 10**400, "results": []}),
    "20 MB": lambda h: send(h, 200, b"[" + b"0," * 10_000_000 + b"0]"),
}


@pytest.mark.parametrize("answer", list(HOSTILE_ANSWERS))
def test_a_hostile_answer_is_inert_and_never_shows_the_token(community, capsys, answer):
    community(HOSTILE_ANSWERS[answer])
    out, report = inert_everywhere(capsys)
    assert report["ok"] is (answer in ("hostile fields", "a count of 400 digits"))
    assert "Bearer *** ***" in out or answer != "500 echoing the token"  # the 401's words are not said
    assert "[@click=app.quit]" not in out or "\u2026" in out  # text only: never parsed as markup (cut here)


@pytest.mark.parametrize("status", [403, 500])
def test_the_token_line_says_the_community_answered(community, capsys, status):
    """The community answered an error: the token's line said 'the community did not answer'."""
    community(lambda h: send_json(h, status, {"detail": "no"}))
    out, _ = inert_everywhere(capsys)
    assert f"!!  token: from MEDIATUI_TOKEN; not checked (the community answered {status})" in out


@pytest.mark.parametrize(
    "where",
    [
        "http://127.0.0.1:{port}/api/v2/media/?t={token}",
        "file:///etc/passwd",
        "http://10.0.0.1/",
        "http://[::1]:1/",
        "http://127.0.0.1:{port}/\x1b]0;T\x07\u202e",
    ],
)
def test_a_redirect_is_said_and_never_followed(community, capsys, where):
    """Another origin (another port of the same host), a file, a private address: not followed, so the token goes
    nowhere but to the community; the Location is said inert, the token in it blanked."""
    with HostileServer() as elsewhere:
        elsewhere.route("GET", "/", empty_page)
        target = where.format(port=elsewhere.url.rsplit(":", 1)[1], token=TOKEN)
        community(lambda h: send(h, 302, "", headers={"Location": target.encode().decode("latin-1")}))
        out, report = inert_everywhere(capsys)
    assert elsewhere.requests == [] and report["ok"] is False
    if "\x1b" in where:  # httpx refuses the answer itself
        assert "unreachable: " in out and "Invalid non-printable ASCII character in URL" in out
    else:
        assert "answered 302 in " in out and f"the server redirected to {where.split('{')[0]}" in out


@pytest.mark.parametrize("bundle", ["missing.pem", "fifo.pem"])
def test_a_ca_bundle_that_cannot_be_used_is_not_taken_for_the_url(healthy, capsys, tmp_path, bundle):
    """The fix said 'correct the URL (--url, MEDIATUI_URL)' for a profile's CA bundle that cannot be read."""
    if bundle == "fifo.pem":
        os.mkfifo(tmp_path / bundle)  # never read (a FIFO would wait for a writer)
    healthy.setenv("MEDIATUI_TOKEN", TOKEN)
    write_config(tmp_path, f'[profiles.team]\nurl = "https://community.invalid"\nverify = "{tmp_path}/{bundle}"\n')
    out, _ = inert_everywhere(capsys)
    assert f"!!  community: the CA bundle {tmp_path}/{bundle} cannot be used: " in out
    assert "correct the URL" not in out and 'verify = "/path/to/ca.pem"' in out


# -- attacks that held -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("TERM", ESCAPES),
        ("TERM", "x" * 1_000_000),
        ("LANG", ESCAPES),
        ("LC_ALL", ESCAPES * 1000),
        ("COLORTERM", ESCAPES),
        ("STY", ESCAPES),
        ("TMUX", ESCAPES),  # tmux is then asked (not on PATH here, or the real one: either is a line)
        ("COLUMNS", ESCAPES),
        ("NO_COLOR", ESCAPES),
        ("TERM_PROGRAM", ESCAPES),
        ("MEDIATUI_TRASH_MB", ESCAPES),
        ("MEDIATUI_PROFILE", ESCAPES),
        ("MEDIATUI_STATE_DIR", "/tmp/" + ESCAPES.replace("/", "_")),
    ],
    ids=lambda value: value if len(value) < 20 else "hostile",
)
def test_a_hostile_environment_is_inert(healthy, community, capsys, name, value):
    community(empty_page)
    healthy.setenv(name, value)
    inert_everywhere(capsys)


def test_hostile_tmux_options_are_inert(healthy, community, capsys, tmp_path):
    community(empty_page)
    fake_tmux(tmp_path, healthy, "printf 'on\\n\\033]0;T\\007\\033[2J\\302\\233\\342\\200\\256'\n")
    out, _ = inert_everywhere(capsys)
    assert "!!  tmux: set-clipboard is on⏎␛]0;T␇␛[2J⟨U+009… (y, Y and ctrl+y copy nothing)" in out


def test_hostile_profile_names_are_inert(healthy, community, capsys, tmp_path):
    """TOML's escapes make a profile name of ESC, BEL, C1 and bidi characters."""
    server = community(empty_page)
    healthy.delenv("MEDIATUI_URL")
    healthy.setenv("SOME_TOKEN", TOKEN)
    healthy.delenv("MEDIATUI_TOKEN")
    name = "\\u001b]0;T\\u0007\\u009b31m\\u202eevil[b]x[/b]"
    write_config(
        tmp_path,
        f'default_profile = "{name}"\n[profiles."{name}"]\nurl = "{server.url}"\ntoken_env = "SOME_TOKEN"\n'
        '[profiles."[@click=app.quit]q[/]"]\nurl = "https://x.invalid"\n',
    )
    out, report = inert_everywhere(capsys)
    hostile = "␛]0;T␇⟨U+009B⟩31m⟨U+202E⟩evil[b]x[/b]"
    assert report["ok"] is True and f"profiles: {hostile}, [@click=app.quit]q[/]; default: {hostile}" in out
    assert f"OK  token: from $SOME_TOKEN (the token_env of profile '{hostile}'); the API accepts it (0 media)" in out


@pytest.mark.parametrize("kind", ["/dev/zero", "fifo", "folder", "2 MB", "a loop", "not UTF-8"])
def test_a_config_that_is_no_config_is_a_line(healthy, community, capsys, tmp_path, kind):
    community(empty_page)
    config = tmp_path / "config" / "config.toml"
    config.parent.mkdir()
    if kind == "/dev/zero":
        config.symlink_to("/dev/zero")
    elif kind == "fifo":
        os.mkfifo(config)
    elif kind == "folder":
        config.mkdir()
    elif kind == "2 MB":
        config.write_text("# " + "x" * 2_000_000)
    elif kind == "a loop":
        config.symlink_to(config)
    else:
        config.write_bytes(b"\xff\xfe\x1b]0;T\x07")
    out, report = inert_everywhere(capsys)
    assert f"!!  config: {config}: " in out and "OK  community: " in out and report["ok"] is False


def test_a_token_command_that_prints_escapes_or_fails_loudly_shows_nothing_of_it(healthy, community, capsys, tmp_path):
    server = community(empty_page)
    healthy.delenv("MEDIATUI_TOKEN")
    script = tmp_path / "token.sh"
    script.write_text(f"#!/bin/sh\nprintf '\\033]52;c;ZXZpbA==\\007{TOKEN}'\necho {TOKEN} >&2\n")
    script.chmod(0o755)
    write_config(tmp_path, f'[profiles.team]\nurl = "{server.url}"\ntoken_command = "{script}"\n')
    out, _ = inert_everywhere(capsys)
    assert "!!  token: from the token_command of profile 'team'; it cannot be used: the token contains a " in out
    script.write_text(f"#!/bin/sh\necho '\\033]0;T\\007 {TOKEN}'\necho {TOKEN} >&2\nexit 3\n")
    out, _ = inert_everywhere(capsys)
    assert f"!!  token: profile 'team': token_command `{script}` failed with exit status 3" in out


@pytest.mark.parametrize("where", ["env", "config"])
def test_a_password_in_the_url_is_never_printed(healthy, community, capsys, tmp_path, where):
    server = community(empty_page)
    url = server.url.replace("http://", "http://moderator:hunter2pass@")
    if where == "env":
        healthy.setenv("MEDIATUI_URL", url)
    else:
        healthy.delenv("MEDIATUI_URL")
        write_config(tmp_path, f'[profiles.team]\nurl = "{url}"\n')
    out, report = inert_everywhere(capsys)
    assert report["ok"] is True and "hunter2pass" not in out and "moderator" not in out
    assert f"OK  community: {server.url} answered in " in out


def test_a_server_that_drips_its_answer_is_answered_within_15_s(community, capsys):
    """Headers at once, then a byte a second: the request's deadline is its whole answer's."""
    server = community(lambda h: None)
    server.route("GET", "/api/v2/media/", server.trickle(0.5))
    start = time.monotonic()
    code, out, _ = within(doctor.BUDGET + 1, lambda: run(capsys))
    assert time.monotonic() - start < doctor.BUDGET and code == 1
    assert f"!!  community: {server.url}: no answer within 8 s" in out


def test_a_journal_left_with_its_wal_is_counted_without_a_file_made(healthy, community, capsys, tmp_path):
    """A journal whose -wal was left without its -shm (copied by a backup, a crash): SQLite, asked to read it
    read-only in place, made a -shm beside it. Now nothing is made, and what the -wal holds is counted."""
    import shutil

    from mediatui.api.client import normalize_base_url
    from mediatui.upload.journal import FAILED, QUEUED, Journal, new_entry
    from mediatui.upload.preflight import UploadItem

    server = community(empty_page)
    left = tmp_path / "left"
    left.mkdir()
    with Journal.for_server(normalize_base_url(server.url)) as journal:
        for state in (QUEUED, FAILED):
            entry = new_entry(UploadItem(tmp_path / "a.png", 10, 1, "image"))  # type: ignore[arg-type]
            entry.state = state
            journal.save(entry)
        path = journal.path
        shutil.copy(path, left / "db")  # as they are while it is open: the entries are in the -wal only
        shutil.copy(path.with_name(path.name + "-wal"), left / "wal")
    os.replace(left / "db", path)
    os.replace(left / "wal", path.with_name(path.name + "-wal"))
    before = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in path.parent.iterdir()}
    code, out, _ = run(capsys)
    assert {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in path.parent.iterdir()} == before
    assert code == 0 and "2 unfinished uploads (mediatui upload --resume takes them up)" in out


@pytest.mark.parametrize("value", ["nan", "inf", "1e308"])
def test_a_timeout_that_is_no_number_of_seconds_is_said(healthy, community, capsys, tmp_path, value):
    """TOML reads nan and inf: doctor said the config OK (it caps its own request at 8 s) while every other verb
    raised ValueError or OverflowError from the socket's settimeout, a traceback."""
    server = community(empty_page)
    write_config(tmp_path, f'[profiles.team]\nurl = "{server.url}"\ntimeout = {value}\n')
    out, _ = inert_everywhere(capsys)
    assert "!!  config: " in out and "profiles.team.timeout must be above 0 and at most 3600 seconds" in out
    assert cli.main(["list"]) == 2 and "timeout must be above 0" in capsys.readouterr().err
