"""Recipients from [recipients] to and file: validated, deduplicated, bad ones reported."""

from __future__ import annotations

import pytest

from digest.deliver.recipients import Recipient, load_recipients, normalise_address
from digest.errors import ConfigError


def test_to_and_file_are_merged_without_duplicates(make_config, tmp_path, caplog):
    (tmp_path / "subscribers.csv").write_text(
        "email,name\nbob@example.com,Bob Stone\nANN@Example.org,Ann again\n\n# a comment\ncy@example.net\n",
        encoding="utf-8",
    )
    config = make_config(
        recipients={"to": ["Ann Lee <ann@example.org>", "dee@example.org"], "file": "subscribers.csv"}
    )
    found = load_recipients(config)
    assert found.recipients == [
        Recipient("ann@example.org", "Ann Lee"),
        Recipient("dee@example.org"),
        Recipient("bob@example.com", "Bob Stone"),
        Recipient("cy@example.net"),
    ]
    assert found.problems == []


def test_bad_rows_are_reported_with_file_and_line_and_the_rest_kept(make_config, tmp_path):
    csv = tmp_path / "subscribers.csv"
    csv.write_text("ok@example.org\nnot-an-address\nx@y\ngood@example.com,Good\n", encoding="utf-8")
    config = make_config(recipients={"file": str(csv)})
    found = load_recipients(config)
    assert [r.email for r in found.recipients] == ["ok@example.org", "good@example.com"]
    assert found.problems[0].startswith(f"{csv}:2: 'not-an-address' is not a valid email address")
    assert found.problems[1].startswith(f"{csv}:3: 'x@y'")


@pytest.mark.parametrize(
    "bad",
    [
        "plain",
        "a@@example.org",
        "a b@example.org",
        "a@example",
        "a@-example.org",
        ".a@example.org",
        "a..b@example.org",
        "a@example.org\r\nBcc: e@example.net",
        "\u00e9@example.org",
        "a@exa_mple.org",
        "x" * 65 + "@example.org",
    ],
)
def test_invalid_addresses(bad):
    with pytest.raises(ValueError):
        normalise_address(bad)


def test_international_domain_becomes_ascii():
    assert (
        normalise_address(" Ann.O'Neil+news@B\u00fccher.example ") == "Ann.O'Neil+news@xn--bcher-kva.example"
    )


def test_names_lose_line_breaks(make_config, tmp_path):
    (tmp_path / "s.csv").write_text('ann@example.org,"Ann\r\nBcc: x@example.net"\n', encoding="utf-8")
    found = load_recipients(make_config(recipients={"file": "s.csv"}))
    assert found.recipients == [Recipient("ann@example.org", "Ann Bcc: x@example.net")]


def test_missing_file_names_the_setting(make_config):
    with pytest.raises(
        ConfigError, match=r"nope\.csv: recipients file not found \(setting recipients\.file\)"
    ):
        load_recipients(make_config(recipients={"file": "nope.csv"}))


def test_nobody_valid_is_an_error(make_config):
    with pytest.raises(ConfigError, match=r"no recipients: .*\(1 invalid"):
        load_recipients(make_config(recipients={"to": ["nobody"]}))
