"""Country cells read with the names of every language, kept in the user's cache."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from dialsmile.core import places


@pytest.fixture
def fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    cache = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    places._world_index.cache_clear()
    places.region_for_country.cache_clear()
    yield cache
    places._world_index.cache_clear()
    places.region_for_country.cache_clear()


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The cache folder as a first import leaves it: built once for the run (reading every
    CLDR locale takes a second and a half), then copied for each test that reads cells."""
    cache = tmp_path_factory.mktemp("country-names-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(cache))
        places._world_index.cache_clear()
        places._world_index()
        places._world_index.cache_clear()
    return cache


@pytest.fixture
def cached(fresh: Path, built: Path) -> Path:
    """``fresh``, holding the index a first import built and saved."""
    shutil.copytree(built, fresh)
    return fresh


@pytest.mark.parametrize(
    ("cell", "region"),
    [("Österreich", "AT"), ("ARG", "AR"), ("Republic of Korea", "KR"),
     ("korea, republic of", "KR"), ("Côte d'Ivoire", "CI"), ("COTE D’IVOIRE", "CI"),
     ("U.S.A.", "US"), ("the Netherlands", "NL"), ("St Lucia", "LC"), ("Saint Lucia", "LC"),
     ("Россия", "RU"), ("日本", "JP"), ("Norge", "NO"), ("uk", "GB"), ("Turkey", "TR"),
     ("Congo", "CG"), ("Kongo", None), ("Narnia", None), ("", None)],
)  # fmt: skip
def test_country_cells(cached: Path, cell: str, region: str | None) -> None:
    assert places.region_for_country(cell) == region


def test_names_in_other_languages_are_read_back_from_the_cache(fresh: Path) -> None:
    assert places.region_for_country("Norge") == "NO"
    (cached,) = fresh.glob("dialsmile/country-names-*.json")
    names = json.loads(cached.read_text(encoding="utf-8"))
    assert names["norge"] == "NO" and names["osterreich"] == "AT"
    cached.write_text(json.dumps({**names, "norge": "SE"}), encoding="utf-8")
    places._world_index.cache_clear()
    places.region_for_country.cache_clear()
    assert places.region_for_country("Norge") == "SE"  # read from the file, not rebuilt


def test_a_broken_cache_file_is_rebuilt(fresh: Path) -> None:
    places.region_for_country("Norge")
    (cached,) = fresh.glob("dialsmile/country-names-*.json")
    cached.write_text("{not json", encoding="utf-8")
    places._world_index.cache_clear()
    places.region_for_country.cache_clear()
    assert places.region_for_country("Deutschland") == "DE"
    assert json.loads(cached.read_text(encoding="utf-8"))["deutschland"] == "DE"
