"""Config files are found upward, validated with the file named, and merged with the command line."""

from __future__ import annotations

import pytest

from empathylint.config import find_config, load_config
from empathylint.diagnostic import Severity
from empathylint.errors import ConfigError


def test_pyproject_table_is_found_from_a_subfolder(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[tool.empathylint]\nselect = ["CND", "apology"]\nignore = ["CND008"]\nfail-on = "error"\n'
        'extra-rules = ["team-rules"]\nmodel = false\n[tool.empathylint.severity]\nAPO003 = "info"\n')
    sub = tmp_path / "macros" / "billing"
    sub.mkdir(parents=True)
    path = find_config(sub)
    assert path == tmp_path / "pyproject.toml"
    config = load_config(path)
    assert config.select == ("CND", "apology") and config.ignore == ("CND008",)
    assert config.fail_on is Severity.ERROR and config.use_model is False
    assert config.severity == {"APO003": Severity.INFO}
    assert config.extra_rules == (str((tmp_path / "team-rules").resolve()),)


def test_pyproject_without_our_table_is_skipped(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.black]\nline-length = 100\n")
    (tmp_path / "inner").mkdir()
    assert find_config(tmp_path / "inner") is None


@pytest.mark.parametrize(("text", "problem"), [
    ('selct = ["CND"]\n', "unknown option 'selct' (did you mean 'select'?)"),
    ('fail-on = "fatal"\n', "unknown severity 'fatal'"),
    ("select = 3\n", "'select' must be a list of strings"),
    ("select = []\n", "'select' is empty, which would turn off every rule"),
    ('select = ""\n', "'select' is empty, which would turn off every rule"),
    ("select = [\n", "invalid TOML"),
])
def test_bad_config_names_the_file(tmp_path, text, problem):
    path = tmp_path / ".empathylint.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(path) in str(info.value) and problem in str(info.value)
