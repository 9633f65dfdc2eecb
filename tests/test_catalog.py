"""List manifests, and picking the newest complete source of each list from a folder."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from service import catalog
from service.config import PROJECT_ROOT, ConfigError
from tests.conftest import FIXTURES


def test_every_manifest_loads_with_official_urls_and_a_known_format() -> None:
    manifests = catalog.load_manifests(PROJECT_ROOT / "lists")
    assert set(manifests) == {
        "us_ofac_sdn",
        "us_ofac_cons",
        "un_sc",
        "gb_hmt",
        "eu_fsf",
        "opensanctions",
        "us_trade_csl",
        "us_bis_dpl",
    }
    for manifest in manifests.values():
        assert manifest.sources, manifest.id
        assert all(url.startswith("https://") for s in manifest.sources for url in s.urls), manifest.id
        assert manifest.max_age.total_seconds() > 0


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('id = "other"\ntitle="t"\nissuer="i"\nmax_age_hours=1\n[[sources]]\nformat="un_xml"\nurls=[]', "differs"),
        ('id = "x"\ntitle="t"\nissuer="i"\nmax_age_hours=1\n[[sources]]\nformat="pdf"\nurls=[]', "unknown format"),
        ('id = "x"\ntitle="t"\n', "missing field 'issuer'"),
        ("id = ", "x.toml"),
    ],
)
def test_a_bad_manifest_is_refused_with_its_file_and_problem(tmp_path: Path, text: str, problem: str) -> None:
    (tmp_path / "x.toml").write_text(text)
    with pytest.raises(ConfigError, match=problem):
        catalog.load_manifests(tmp_path)


def test_enabled_lists_default_to_all_and_unknown_ids_are_refused() -> None:
    manifests = catalog.load_manifests(PROJECT_ROOT / "lists")
    assert len(catalog.enabled(manifests, None)) == len(manifests)
    assert [m.id for m in catalog.enabled(manifests, ["un_sc"])] == ["un_sc"]
    with pytest.raises(ConfigError, match="nope"):
        catalog.enabled(manifests, ["un_sc", "nope"])


@pytest.mark.shared_lists
def test_the_shared_folder_yields_the_newest_publication_of_every_list(shared_lists: Path) -> None:
    found = catalog.discover(shared_lists)
    chosen = {list_id: (s.format, str(s.paths[0].relative_to(shared_lists))) for list_id, s in found.items()}
    assert chosen == {
        # The newest publication, though the 2021 set has aliases and addresses and it has not:
        # 2021 lacks ~6,000 designations (issue 11: folder mode served the 2021 set).
        "us_ofac_sdn": ("ofac_csv", "ofac/sdn-only-2024-05-03.csv"),
        # 2025 CSV beats the 2024 SDN.XML-schema file and the 2020 advanced XML.
        "us_ofac_cons": ("ofac_csv", "ofac/cons-2025-12-19/cons_prim.csv"),
        "un_sc": ("un_xml", "un/consolidated-2026-02-27.xml"),
        "gb_hmt": ("uk_conlist", "uk/ConList-2025-04-14.xlsx"),
        "eu_fsf": ("eu_fsf_legacy", "eu/legacy-global-subset-2016-02-11.xml"),
        # Neither FtM file prints a date: the larger wins.
        "opensanctions": ("ftm", "opensanctions/zala.ftm.json"),
        "us_trade_csl": ("us_csl", "us_trade/csl-sample-2025.csv"),
        "us_bis_dpl": ("us_bis_dpl", "us_trade/bis-dpl-2023.txt"),
    }
    sdn = found["us_ofac_sdn"]
    assert sdn.paths == (shared_lists / "ofac" / "sdn-only-2024-05-03.csv",)
    assert (sdn.date, sdn.date_from) == (dt.date(2024, 5, 3), "file name")
    assert sdn.why(shared_lists) == (
        "chose ofac/sdn-only-2024-05-03.csv (ofac_csv, published 2024-05-03 (from its name)): the newest"
        " publication; passed over ofac/sdn-only-2024-04-26.csv (2024-04-26), ofac/sdn-2021-07-07/sdn.csv"
        " (2021-07-07), ofac/sample-17/sdn.csv (undated)"
    )
    assert found["un_sc"].why(shared_lists).startswith(
        "chose un/consolidated-2026-02-27.xml (un_xml, published 2026-02-27 (printed in the file)): the newest"
    )


def test_an_ofac_set_counts_only_with_its_companions(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "ofac_csv", tmp_path / "complete-2020-01-01")
    (tmp_path / "partial-2024-01-01").mkdir()
    shutil.copy(FIXTURES / "ofac_csv" / "sdn.csv", tmp_path / "partial-2024-01-01" / "sdn.csv")
    found = catalog.discover(tmp_path)
    assert found["us_ofac_sdn"].paths[0].parent.name == "complete-2020-01-01"


def test_files_are_recognised_by_content_not_name(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "un" / "consolidated-sample.xml", tmp_path / "download")
    (tmp_path / "notes.txt").write_text("not a list")
    found = catalog.discover(tmp_path)
    assert set(found) == {"un_sc"}
    assert found["un_sc"].format == "un_xml"
