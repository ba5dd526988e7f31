import json
import subprocess
import sys

from planner.cli.main import main
from planner.model import load_plan


def test_sample_command_writes_the_sample(tmp_path, sample):
    out = tmp_path / "mau.json"
    assert main(["sample", "-o", str(out)]) == 0
    assert load_plan(out) == sample
    assert json.loads(out.read_text(encoding="utf-8"))["schema_version"] == 1


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "planner", *args], capture_output=True, text=True)


def test_bad_usage_is_one_vietnamese_line_exit_2():
    r = run_cli("sample")
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1 and r.stderr.startswith("Lỗi:")
    assert "Traceback" not in r.stderr


def test_unwritable_output_is_one_line_exit_2(tmp_path):
    r = run_cli("sample", "-o", str(tmp_path / "khong-co" / "x.json"))
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1 and "x.json" in r.stderr and "Traceback" not in r.stderr
