"""`python -m minutes.parsing FILE`: JSON on stdout and exit 0, or the error on stderr and exit 1."""

from __future__ import annotations

import json
import subprocess
import sys

from .conftest import FIXTURES, PDF, ROOT

CONTRACT_KEYS = {
    "kind",
    "municipality",
    "committee",
    "term",
    "date",
    "start_time",
    "location",
    "attendance",
    "items",
    "warnings",
}
ITEM_KEYS = {
    "number",
    "title",
    "raw_title",
    "case_number",
    "closed",
    "sections",
    "decisions",
    "votes",
    "attachments",
}


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "minutes.parsing", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )


def test_cli_prints_the_json_contract_for_a_seed():
    seed = next((FIXTURES / "seeds").glob("002_*.txt"))
    result = run_cli(str(seed), "--municipality", "Lyngby-Taarbæk Kommune")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) >= CONTRACT_KEYS
    assert (data["kind"], data["municipality"], data["committee"], data["term"]) == (
        "minutes",
        "Lyngby-Taarbæk Kommune",
        "Forebyggelses- og Socialudvalget",
        "2022-2025",
    )
    assert (data["date"], data["start_time"]) == ("2024-10-31", "09:45")
    item = data["items"][2]
    assert set(item) >= ITEM_KEYS
    assert item["case_number"] == "00.32.10-S55-55-23"
    decision = item["decisions"][0]
    assert set(decision) == {"body", "date", "outcome", "this_meeting", "text"}
    assert (decision["date"], decision["outcome"], decision["this_meeting"]) == (
        "2024-10-31",
        "approved",
        True,
    )


def test_cli_reads_the_real_pdf():
    result = run_cli(str(PDF))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["kind"], data["committee"], data["date"]) == (
        "minutes",
        "Sundheds- og Forebyggelsesudvalget",
        "2012-12-04",
    )
    assert data["municipality"] == "Ballerup Kommune"  # recognised from the text
    assert [i["number"] for i in data["items"]] == [1, 2, 3, 4, 5, 6, 7, 8]


def test_cli_reports_an_unreadable_file_on_stderr_with_exit_1(tmp_path):
    path = tmp_path / "tom.txt"
    path.write_bytes(b"")
    result = run_cli(str(path))
    assert (result.returncode, result.stdout) == (1, "")
    assert "tom.txt: Filen er tom" in result.stderr


def test_cli_reports_a_missing_file_with_exit_1(tmp_path):
    result = run_cli(str(tmp_path / "findes-ikke.pdf"))
    assert result.returncode == 1 and result.stdout == ""
    assert "findes-ikke.pdf" in result.stderr
